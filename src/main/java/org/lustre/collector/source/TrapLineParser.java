package org.lustre.collector.source;

import java.util.regex.Pattern;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * Parses one line of the trap file (DESIGN.md "Traps: where they come from"): the stream a
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
    private static final Pattern TIME = Pattern.compile("\\d{1,12}(\\.\\d+)?");

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
        String[] f = line.split("\t", 6);
        if (f.length < 6) {
            throw new SourceParseException(line, "too few fields: " + f.length + " of 6 (id time category fs node message, TAB-separated)");
        }
        String id = f[0].trim();
        if (id.isEmpty()) {
            throw new SourceParseException(line, "empty id");
        }
        long millis = parseTime(line, f[1].trim());
        Category category;
        try {
            category = Category.parse(f[2]);
        } catch (IllegalArgumentException e) {
            throw new SourceParseException(line, "bad category '" + f[2] + "' (want 0-3 or Info/Warning/Critical/Fatal)");
        }
        return new TrapEvent(id, millis, category, f[3].trim(), f[4].trim(), f[5].strip(), SOURCE);
    }

    private static long parseTime(String line, String t) throws SourceParseException {
        if (!TIME.matcher(t).matches()) {
            throw new SourceParseException(line, "bad time '" + t + "' (want epoch seconds, optional fraction)");
        }
        int dot = t.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(t) * 1000;
        }
        String frac = (t.substring(dot + 1) + "000").substring(0, 3);
        return Long.parseLong(t.substring(0, dot)) * 1000 + Integer.parseInt(frac);
    }
}
