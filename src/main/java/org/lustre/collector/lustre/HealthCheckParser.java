package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code health_check}: {@code healthy}, {@code NOT HEALTHY} or {@code LBUG}.
 * sysfs ({@code sys/fs/lustre/health_check}) from 2.10 on; proc ({@code proc/fs/lustre/health_check})
 * before. 2.13 to 2.16 also have a debugfs twin ({@code sys/kernel/debug/lustre/health_check})
 * listing {@code device <name> reported unhealthy} lines, empty when all is well;
 * {@code lctl get_param health_check} prints both together, so {@link #parse} accepts the
 * device lines too. Stateless; any thread.
 */
final class HealthCheckParser {
    private static final Pattern DEVICE = Pattern.compile("device (\\S+) reported unhealthy");

    /** Status ({@code healthy}, {@code NOT HEALTHY}, {@code LBUG}) and the devices named unhealthy. */
    record HealthCheck(String status, List<String> unhealthyDevices) {
        HealthCheck {
            unhealthyDevices = List.copyOf(unhealthyDevices);
        }

        boolean healthy() {
            return status.equals("healthy");
        }
    }

    private HealthCheckParser() {
    }

    /** The sysfs file, optionally with the device lines of the debugfs twin. */
    static HealthCheck parse(String path, String text) throws LustreParseException {
        List<String> devices = new ArrayList<>();
        List<TextLine> statuses = split(path, text, devices, true, "want healthy, NOT HEALTHY or LBUG");
        if (statuses.isEmpty() && devices.isEmpty()) {
            throw new LustreParseException(path, 0, "empty file");
        }
        return new HealthCheck(statuses.isEmpty() ? "NOT HEALTHY" : statuses.get(0).text(), devices);
    }

    /**
     * The debugfs twin alone: device names reported unhealthy; empty text means none. A status
     * line, should the twin print one, is accepted and ignored (the sysfs file is authoritative).
     */
    static List<String> parseUnhealthyDevices(String path, String text) throws LustreParseException {
        List<String> devices = new ArrayList<>();
        split(path, text, devices, false, "want \"device <name> reported unhealthy\"");
        return List.copyOf(devices);
    }

    /** Adds the devices named unhealthy to {@code devices}; returns the status lines. */
    private static List<TextLine> split(String path, String text, List<String> devices, boolean oneStatus,
                                        String want) throws LustreParseException {
        List<TextLine> statuses = new ArrayList<>();
        for (TextLine t : TextLine.nonBlank(text)) {
            Matcher m = DEVICE.matcher(t.text());
            if (m.matches()) {
                devices.add(m.group(1));
            } else if (isStatus(t.text())) {
                if (oneStatus && !statuses.isEmpty()) {
                    throw LustreParseException.atLine(path, t.number(), t.raw(), "second status line");
                }
                statuses.add(t);
            } else {
                throw LustreParseException.atLine(path, t.number(), t.raw(), want);
            }
        }
        return statuses;
    }

    private static boolean isStatus(String line) {
        return line.equals("healthy") || line.equals("NOT HEALTHY") || line.equals("LBUG");
    }
}
