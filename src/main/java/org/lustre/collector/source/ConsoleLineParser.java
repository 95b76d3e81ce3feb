package org.lustre.collector.source;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a plain kernel console line as saved by {@code dmesg}, {@code dmesg -T}, syslog or
 * journald, so a file of them can stand in for /dev/kmsg (the real samples under
 * {@code fixtures/lustre/kmsg/real/} are such files). Recognised prefixes, stripped:
 * <ul>
 * <li>{@code [75439.499097] } (dmesg): seconds since boot;</li>
 * <li>{@code [Fri Oct  6 11:12:25 2023] } (dmesg -T): local wall time;</li>
 * <li>{@code Jun 26 16:17:32 host kernel: } (BSD syslog, journalctl): local wall time, the year
 *     taken from "now" (the previous year when that would put the line more than a day ahead);</li>
 * <li>{@code 2023-10-06T11:12:25.123+02:00 host kernel: } (RFC 3339 syslog; journalctl
 *     {@code -o short-iso} writes the offset as {@code +0200}).</li>
 * </ul>
 * The syslog forms may be followed by the dmesg time as well ({@code kernel: [75439.499097] }, what
 * rsyslog writes on kernels that print times), and {@code kernel:} may lack its space; a raw
 * {@code dmesg -r} line starts with its priority ({@code <3>}). Those are stripped too.
 * A line without a known prefix is taken whole, without a time. Stateless; any thread may call it.
 */
final class ConsoleLineParser {
    private static final Pattern UPTIME = Pattern.compile("\\[\\s*(\\d{1,10})\\.(\\d{1,9})\\] ?");
    private static final Pattern DMESG_T = Pattern.compile("\\[(\\w{3} \\w{3} +\\d{1,2} \\d\\d:\\d\\d:\\d\\d \\d{4})\\] ?");
    private static final Pattern PRIORITY = Pattern.compile("<\\d{1,3}>");
    private static final Pattern SYSLOG = Pattern.compile("(\\w{3} +\\d{1,2} \\d\\d:\\d\\d:\\d\\d) \\S+ kernel: ?");
    private static final Pattern RFC3339 = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)(Z|[+-]\\d\\d:?\\d\\d) \\S+ kernel: ?");
    private static final DateTimeFormatter DMESG_T_FORMAT = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SYSLOG_FORMAT = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.ENGLISH);

    /**
     * A console line.
     *
     * @param usecSinceBoot   time since boot in microseconds, or -1
     * @param wallMillis      wall time (epoch ms), or -1
     * @param message         the text after the prefix
     */
    record Line(long usecSinceBoot, long wallMillis, String message) {
    }

    private ConsoleLineParser() {
    }

    /**
     * @param nowMillis the current time, for the year of syslog lines
     * @param zone      the zone of dmesg -T and BSD syslog times (those of the host that wrote them)
     */
    static Line parse(String line, long nowMillis, ZoneId zone) {
        Matcher m = PRIORITY.matcher(line);
        if (m.lookingAt()) {
            line = line.substring(m.end());
        }
        m = UPTIME.matcher(line);
        if (m.lookingAt()) {
            return new Line(usec(m), -1, line.substring(m.end()));
        }
        m = DMESG_T.matcher(line);
        if (m.lookingAt()) {
            return new Line(-1, wall(m.group(1).replaceAll(" +", " "), DMESG_T_FORMAT, zone), line.substring(m.end()));
        }
        m = SYSLOG.matcher(line);
        if (m.lookingAt()) {
            return withUptime(syslogTime(m.group(1).replaceAll(" +", " "), nowMillis, zone),
                    line.substring(m.end()));
        }
        m = RFC3339.matcher(line);
        if (m.lookingAt()) {
            String offset = m.group(2).length() == 5 ? m.group(2).substring(0, 3) + ":" + m.group(2).substring(3)
                    : m.group(2);
            long t;
            try {
                t = OffsetDateTime.parse(m.group(1) + offset).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                t = -1;
            }
            return withUptime(t, line.substring(m.end()));
        }
        return new Line(-1, -1, line);
    }

    /** A syslog line's rest, with the dmesg time that may follow the syslog prefix taken off. */
    private static Line withUptime(long wallMillis, String rest) {
        Matcher m = UPTIME.matcher(rest);
        return m.lookingAt() ? new Line(usec(m), wallMillis, rest.substring(m.end())) : new Line(-1, wallMillis, rest);
    }

    private static long usec(Matcher uptime) {
        String frac = (uptime.group(2) + "000000").substring(0, 6);
        return Long.parseLong(uptime.group(1)) * 1_000_000 + Long.parseLong(frac);
    }

    private static long wall(String text, DateTimeFormatter f, ZoneId zone) {
        try {
            return LocalDateTime.parse(text, f).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1; // e.g. a weekday that does not match the date: keep the line, lose the time
        }
    }

    private static long syslogTime(String text, long nowMillis, ZoneId zone) {
        int year = ZonedDateTime.ofInstant(Instant.ofEpochMilli(nowMillis), zone).getYear();
        long t = wall(text + " " + year, SYSLOG_FORMAT, zone);
        if (t < 0 && text.startsWith("Feb 29")) {
            return wall(text + " " + (year - 1), SYSLOG_FORMAT, zone);
        }
        if (t > nowMillis + 86_400_000L) {
            t = wall(text + " " + (year - 1), SYSLOG_FORMAT, zone); // December lines read in January
        }
        return t;
    }
}
