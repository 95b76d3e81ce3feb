package org.lustre.collector.trap;

import java.util.Objects;

/**
 * A trap as a source reports it, before the store gives it a sequence number and a receive time.
 * Immutable; any thread may create one and hand it to the watcher.
 *
 * @param id            stable id that both collectors of an MDS pair derive alike (trap-file id,
 *                      {@code boot_id:seq} for the kernel log, content-derived for state changes);
 *                      never null or empty
 * @param eventTimeMillis when the event happened according to the source (epoch milliseconds)
 * @param category      severity
 * @param fs            file system name, "" when the source does not tell
 * @param node          target name such as {@code testfs-OST0004}, or a host/NID when no target applies; "" when unknown
 * @param message       human-readable text, one line
 * @param source        which source produced it: "trapfile", "kmsg", "scan", ...
 */
public record TrapEvent(String id, long eventTimeMillis, Category category, String fs, String node,
                        String message, String source) {
    public TrapEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        fs = fs == null ? "" : fs;
        node = node == null ? "" : node;
        source = source == null ? "" : source;
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty trap id");
        }
    }
}
