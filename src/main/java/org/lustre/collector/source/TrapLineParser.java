package org.lustre.collector.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * Parses one line of the trap file (README.md, "What it watches"): the stream a
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

    /** Epoch seconds, optional fraction; up to 12 integer digits (year 33658) keeps seconds*1000 far from overflow. */
    private static final Pattern TIME = Pattern.compile("([0-9]{1,12})(?:\\.([0-9]+))?");

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
            throw new SourceParseException(line, "too few fields: " + f.length
                    + " of 6 (id time category fs node message, TAB-separated)");
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

    /** The time field as epoch milliseconds: {@link #TIME}; fraction digits after the third are ignored. */
    private static long parseTime(String line, String time) throws SourceParseException {
        Matcher m = TIME.matcher(time);
        if (!m.matches()) {
            throw new SourceParseException(line, "bad time '" + time + "' (want epoch seconds, optional fraction)");
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        String millis = (fraction + "000").substring(0, 3);
        return Long.parseLong(m.group(1)) * 1000 + Integer.parseInt(millis);
    }
}
