package org.lustre.collector.trap;

import java.util.Locale;

/** Severity of a trap. The numeric code is what travels on the wire (DESIGN.md: 0 Info .. 3 Fatal). */
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
        Category c = parse(text, 0, text.length());
        if (c == null) {
            throw new IllegalArgumentException("unknown category '" + text + "' (want 0-3 or Info/Warning/Critical/Fatal)");
        }
        return c;
    }

    /**
     * {@link #parse(String)} of {@code text[from, to)} without cutting it out (the trap file's
     * parser calls this for every line); null when it names no category.
     */
    public static Category parse(String text, int from, int to) {
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        int length = to - from;
        if (length == 1) {
            int code = text.charAt(from) - '0';
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
        for (Category c : BY_CODE) {
            if (c.label.length() == length && text.regionMatches(true, from, c.label, 0, length)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
