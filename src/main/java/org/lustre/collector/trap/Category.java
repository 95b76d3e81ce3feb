package org.lustre.collector.trap;

import java.util.Locale;

/** Severity of a trap. The numeric code is what travels on the wire (0 Info .. 3 Fatal). */
public enum Category {
    INFO("Info"), WARNING("Warning"), CRITICAL("Critical"), FATAL("Fatal");

    private static final Category[] BY_CODE = values();
    private final String label;

    Category(String label) {
        this.label = label;
    }

    public int code() {
        return ordinal();
    }

    /** "Info", "Warning", "Critical" or "Fatal": the name administrators read. */
    public String label() {
        return label;
    }

    public static Category ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("category code out of range 0-3: " + code);
        }
        return BY_CODE[code];
    }

    /** Accepts 0-3 or a label in any case ("critical", "Fatal"), with blanks around it. */
    public static Category parse(String text) {
        String t = text.trim();
        for (Category c : BY_CODE) {
            if (t.equals(Integer.toString(c.code())) || t.equalsIgnoreCase(c.label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown category '" + text + "' (want 0-3 or Info/Warning/Critical/Fatal)");
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
