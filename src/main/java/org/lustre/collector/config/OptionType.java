package org.lustre.collector.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.catalina.util.NetMask;

/** How an option's text becomes a value; each parse failure says why in words an administrator reads. */
enum OptionType {
    INT("N"), STRING("TEXT"), BOOL(""), PATH("PATH"), SECONDS("SECONDS"), CIDR_LIST("CIDR,...");

    private final String argName;

    OptionType(String argName) {
        this.argName = argName;
    }

    /** Placeholder shown in --help; empty for flags. */
    String argName() {
        return argName;
    }

    boolean isFlag() {
        return this == BOOL;
    }

    /**
     * @throws IllegalArgumentException with the reason when the text is not of this type
     */
    Object parse(String text) {
        String t = text.trim();
        return switch (this) {
            case INT, SECONDS -> {
                try {
                    yield Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a whole number");
                }
            }
            case BOOL -> switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean (true/false, yes/no, on/off, 1/0)");
            };
            case CIDR_LIST -> parseCidrs(t);
            default -> t;
        };
    }

    /** The trimmed, non-empty entries of a comma-separated value. */
    static List<String> items(String text) {
        return Stream.of(text.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    /** Every entry is checked so that one error message lists all bad ones (as RemoteCIDRFilter does). */
    private static List<String> parseCidrs(String text) {
        List<String> good = items(text);
        List<String> bad = new ArrayList<>();
        for (String p : good) {
            try {
                new NetMask(p);
            } catch (IllegalArgumentException e) {
                bad.add("'" + p + "'");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("not an address or CIDR block: " + String.join(", ", bad));
        }
        return good;
    }
}
