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
        String status = null;
        List<String> devices = new ArrayList<>();
        for (TextLine t : TextLine.nonBlank(text)) {
            int lineNo = t.number();
            String line = t.raw();
            String l = t.text();
            Matcher m = DEVICE.matcher(l);
            if (m.matches()) {
                devices.add(m.group(1));
            } else if (isStatus(l)) {
                if (status != null) {
                    throw LustreParseException.atLine(path, lineNo, line, "second status line");
                }
                status = l;
            } else {
                throw LustreParseException.atLine(path, lineNo, line, "want healthy, NOT HEALTHY or LBUG");
            }
        }
        if (status == null) {
            if (devices.isEmpty()) {
                throw new LustreParseException(path, 0, "empty file");
            }
            status = "NOT HEALTHY";
        }
        return new HealthCheck(status, devices);
    }

    /**
     * The debugfs twin alone: device names reported unhealthy; empty text means none. A status
     * line, should the twin print one, is accepted and ignored (the sysfs file is authoritative).
     */
    static List<String> parseUnhealthyDevices(String path, String text) throws LustreParseException {
        List<String> devices = new ArrayList<>();
        for (TextLine t : TextLine.nonBlank(text)) {
            int lineNo = t.number();
            String line = t.raw();
            String l = t.text();
            Matcher m = DEVICE.matcher(l);
            if (m.matches()) {
                devices.add(m.group(1));
            } else if (!isStatus(l)) {
                throw LustreParseException.atLine(path, lineNo, line, "want \"device <name> reported unhealthy\"");
            }
        }
        return List.copyOf(devices);
    }

    private static boolean isStatus(String line) {
        return line.equals("healthy") || line.equals("NOT HEALTHY") || line.equals("LBUG");
    }
}
