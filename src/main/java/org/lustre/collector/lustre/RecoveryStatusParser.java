package org.lustre.collector.lustre;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code mdt/<fs>-MDTxxxx/recovery_status} and {@code obdfilter/<fs>-OSTxxxx/recovery_status}
 * (proc up to 2.16, debugfs in 2.17), written by {@code lprocfs_recovery_status_seq_show}
 * ({@code lustre/obdclass/lprocfs_status_server.c}, 2.15.0:883): {@code status: X} first, then
 * {@code key: value} lines that depend on the status. COMPLETE prints
 * {@code completed_clients: a/b} (a = b - evicted); RECOVERING prints
 * {@code connected_clients: a/b} and {@code evicted_clients: n}.
 *
 * <p><b>recovery_start</b> is epoch seconds, except in 2.12.4 to 2.12.9, which print the raw
 * {@code ktime_get_seconds()} (seconds since boot: the LLNL 2.12.9 capture shows
 * {@code recovery_start: 1406}). A value below {@link #EPOCH_FLOOR} is taken as seconds since
 * boot and converted with the boot time the caller gives; without one it is reported as unknown.
 * Stateless; any thread.
 */
final class RecoveryStatusParser {
    /** 2001-09-09: no recovery of a running Lustre started before; no uptime reaches it. */
    static final long EPOCH_FLOOR = 1_000_000_000L;

    private RecoveryStatusParser() {
    }

    /**
     * @param bootEpoch when this node booted, epoch seconds, -1 unknown (for the 2.12.4-2.12.9 form)
     */
    static RecoveryStatus parse(String path, String text, long bootEpoch) throws LustreParseException {
        String status = null;
        Map<String, String> fields = new HashMap<>();
        for (TextLine line : TextLine.nonBlank(text)) {
            int colon = line.text().indexOf(':');
            if (colon <= 0) {
                throw LustreParseException.atLine(path, line.number(), line.raw(), "want \"key: value\"");
            }
            String key = line.text().substring(0, colon).strip();
            String value = line.text().substring(colon + 1).strip();
            if (status == null) {
                if (!key.equals("status") || !value.matches("[A-Z_]+")) {
                    throw LustreParseException.atLine(path, line.number(), line.raw(), "want \"status: <STATUS>\" first");
                }
                status = value;
            } else {
                fields.put(key, value);
            }
        }
        if (status == null) {
            throw new LustreParseException(path, 0, "empty file");
        }
        long start = number(path, fields, "recovery_start");
        if (start >= 0 && start < EPOCH_FLOOR) {
            start = bootEpoch >= 0 ? bootEpoch + start : -1;
        }
        long duration = number(path, fields, "recovery_duration");
        long completed = -1;
        long total = -1;
        long evicted = number(path, fields, "evicted_clients");
        long[] pair = pair(path, fields, "completed_clients");
        if (pair != null) {
            completed = pair[0];
            total = pair[1];
            if (evicted < 0 && pair[1] >= 0) {
                evicted = pair[1] - pair[0];
            }
        } else {
            completed = number(path, fields, "completed_clients");
            long[] connected = pair(path, fields, "connected_clients");
            if (connected != null) {
                total = connected[1];
            }
        }
        return new RecoveryStatus(status, start, duration, completed, total, evicted);
    }

    private static long number(String path, Map<String, String> fields, String key) throws LustreParseException {
        String v = fields.get(key);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new LustreParseException(path, 0, key + " is not a number: \"" + v + "\"");
        }
    }

    /** {@code a/b}; a plain number gives {a, -1}; null when absent. */
    private static long[] pair(String path, Map<String, String> fields, String key) throws LustreParseException {
        String v = fields.get(key);
        if (v == null) {
            return null;
        }
        int slash = v.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            long a = Long.parseLong(v.substring(0, slash).strip());
            long b = Long.parseLong(v.substring(slash + 1).strip());
            if (a < 0 || b < 0 || a > b) {
                throw new LustreParseException(path, 0, key + " out of range: \"" + v + "\"");
            }
            return new long[] {a, b};
        } catch (NumberFormatException e) {
            throw new LustreParseException(path, 0, key + " is not \"a/b\": \"" + v + "\"");
        }
    }
}
