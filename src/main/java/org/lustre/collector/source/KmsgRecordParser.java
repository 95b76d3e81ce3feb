package org.lustre.collector.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one {@code /dev/kmsg} record (Linux {@code Documentation/ABI/testing/dev-kmsg}):
 * <pre>prio,seq,usec,flags[,more...];message
 *  KEY=value
 *  KEY=value</pre>
 * {@code prio} holds facility ({@code prio >> 3}, 0 = kernel) and level ({@code prio & 7});
 * {@code usec} is microseconds since boot; {@code flags} is "-" or "c"/"+" on older kernels;
 * extra comma fields (such as {@code caller=T4711} with CONFIG_PRINTK_CALLER) are ignored. Lines
 * after the first that start with a space are the record's dictionary, which no rule needs: they
 * are checked and skipped. The kernel escapes unprintable bytes in the message as {@code \xNN}; they are
 * left escaped. One read() of /dev/kmsg returns exactly one such record; in a file of records each
 * header is one line. Stateless; any thread may call it.
 */
final class KmsgRecordParser {
    private static final Pattern HEADER = Pattern.compile("(\\d{1,9}),(\\d{1,19}),(\\d{1,19}),([^,;]*)(?:,[^;]*)?;");

    /** A parsed record: facility from prio, kernel sequence number, time since boot. */
    record Record(int facility, long seq, long usec, String message) {
    }

    private KmsgRecordParser() {
    }

    /** True when the line starts like a record header ("prio,seq,usec,flags;"). */
    static boolean looksLikeRecord(String line) {
        return !line.isEmpty() && Character.isDigit(line.charAt(0)) && HEADER.matcher(line).lookingAt();
    }

    /**
     * Parses a record, with or without its dictionary lines and trailing newline.
     *
     * @throws SourceParseException when the header is malformed or a line after it is not a
     *                              continuation (does not start with a space)
     */
    static Record parse(String text) throws SourceParseException {
        String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        int nl = t.indexOf('\n');
        String first = nl < 0 ? t : t.substring(0, nl);
        Matcher m = HEADER.matcher(first);
        if (!m.lookingAt()) {
            throw new SourceParseException(text, first.indexOf(';') < 0
                    ? "no ';' after the record header (want prio,seq,usec,flags;message)"
                    : "malformed record header (want prio,seq,usec,flags;message)");
        }
        int prio;
        long seq;
        long usec;
        try {
            prio = Integer.parseInt(m.group(1));
            seq = Long.parseLong(m.group(2));
            usec = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new SourceParseException(text, "number out of range in the record header");
        }
        String message = first.substring(m.end());
        if (message.endsWith("\r")) {
            message = message.substring(0, message.length() - 1);
        }
        if (nl >= 0) {
            for (String line : t.substring(nl + 1).split("\n", -1)) {
                if (!line.isEmpty() && line.charAt(0) != ' ') {
                    throw new SourceParseException(text, "line after the header is not a continuation (no leading space)");
                }
            }
        }
        return new Record(prio >> 3, seq, usec, message);
    }
}
