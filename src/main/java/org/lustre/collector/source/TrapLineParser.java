package org.lustre.collector.source;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * Parses one line of the trap file (README, "What it watches"): the stream a
 * trap-enabled Lustre kernel writes, UTF-8, one trap a line, TAB-separated:
 * <pre>id  time  category  fs  node  message</pre>
 * {@code time} is seconds since the epoch with an optional fraction ({@code 1696590759.25});
 * {@code category} is 0-3 or Info/Warning/Critical/Fatal in any case. The line is split at the
 * first five TABs only: the message is the rest and may itself hold TABs. {@code fs} and
 * {@code node} may be empty. Blank lines and lines starting with '#' carry no trap.
 * Stateless; any thread may call it.
 */
public final class TrapLineParser {
    /** The {@link TrapEvent#source()} of trap-file events. */
    public static final String SOURCE = "trapfile";

    // Up to 12 integer digits (year 33658) keeps seconds*1000 far from overflow.
    private static final int MAX_SECONDS_DIGITS = 12;

    private TrapLineParser() {
    }

    /** True for a line that carries no trap: blank, or a comment starting with '#'. */
    public static boolean isSkipped(String line) {
        return line.isBlank() || line.startsWith("#");
    }

    /**
     * Parses a trap line.
     *
     * @return the event, or null when the line is blank or a comment ({@link #isSkipped})
     * @throws SourceParseException naming the reason: too few fields, empty id, bad time, bad category
     */
    public static TrapEvent parse(String line) throws SourceParseException {
        if (isSkipped(line)) {
            return null;
        }
        // The first five TABs by hand: this runs for every trap, String.split and a regex cost
        // more than the rest of the ingest together.
        int[] tab = new int[5];
        int fields = 1;
        for (int from = 0; fields < 6; fields++) {
            int t = line.indexOf('\t', from);
            if (t < 0) {
                break;
            }
            tab[fields - 1] = t;
            from = t + 1;
        }
        if (fields < 6) {
            throw new SourceParseException(line, "too few fields: " + fields + " of 6 (id time category fs node message, TAB-separated)");
        }
        String id = trimmed(line, 0, tab[0]);
        if (id.isEmpty()) {
            throw new SourceParseException(line, "empty id");
        }
        long millis = parseTime(line, tab[0] + 1, tab[1]);
        Category category = Category.parse(line, tab[1] + 1, tab[2]);
        if (category == null) {
            throw new SourceParseException(line, "bad category '" + line.substring(tab[1] + 1, tab[2])
                    + "' (want 0-3 or Info/Warning/Critical/Fatal)");
        }
        return new TrapEvent(id, millis, category, trimmed(line, tab[2] + 1, tab[3]), trimmed(line, tab[3] + 1, tab[4]),
                stripped(line, tab[4] + 1, line.length()), SOURCE);
    }

    /**
     * line.substring(from, to).strip() without the intermediate string. Char by char is code point
     * by code point here: no supplementary character and no lone surrogate is whitespace.
     */
    private static String stripped(String line, int from, int to) {
        while (from < to && Character.isWhitespace(line.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }

    /** line.substring(from, to).trim() without the intermediate string. */
    private static String trimmed(String line, int from, int to) {
        while (from < to && line.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && line.charAt(to - 1) <= ' ') {
            to--;
        }
        return line.substring(from, to);
    }

    /**
     * The time field {@code line[from, to)}, trimmed, as epoch milliseconds: it must be
     * {@code \d{1,12}(\.\d+)?} (ASCII digits); fraction digits after the third are ignored.
     */
    private static long parseTime(String line, int from, int to) throws SourceParseException {
        while (from < to && line.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && line.charAt(to - 1) <= ' ') {
            to--;
        }
        long seconds = 0;
        int i = from;
        while (i < to && isDigit(line.charAt(i))) {
            seconds = seconds * 10 + (line.charAt(i) - '0');
            i++;
        }
        int intDigits = i - from;
        boolean ok = intDigits >= 1 && intDigits <= MAX_SECONDS_DIGITS;
        long millis = 0;
        if (ok && i < to) {
            ok = line.charAt(i) == '.' && i + 1 < to;
            int scale = 100;
            for (int j = i + 1; ok && j < to; j++) {
                char c = line.charAt(j);
                if (!isDigit(c)) {
                    ok = false;
                } else if (scale > 0) {
                    millis += (c - '0') * scale;
                    scale /= 10;
                }
            }
        }
        if (!ok) {
            throw new SourceParseException(line, "bad time '" + line.substring(from, to)
                    + "' (want epoch seconds, optional fraction)");
        }
        return seconds * 1000 + millis;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
