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
 * @param message       human-readable text, one line, as the source gave it but cut to
 *                      {@link #MAX_MESSAGE_BYTES}: {@link Trap} makes it XML-safe when the trap is
 *                      stored (a storm member's text is never stored, so the scan is spared for it)
 * @param source        which source produced it: "trapfile", "kmsg", "scan", ...
 */
public record TrapEvent(String id, long eventTimeMillis, Category category, String fs, String node,
                        String message, String source) {
    /**
     * Longest message a trap keeps, in UTF-8 bytes (4 KiB). A longer one is cut to its first
     * 4,064 bytes or so, followed by " [cut: N bytes]", N the bytes left out. Every source's traps
     * are made here, so the bound holds for all: a line of the trap file or the kernel log can be
     * 64 KiB, and the store, the storm table and every answer that escapes the text would
     * otherwise hold such lines whole.
     */
    public static final int MAX_MESSAGE_BYTES = 4096;
    /**
     * Longest id, file system and node name kept, in UTF-8 bytes. Longer fs and node names are cut
     * like messages; a longer id becomes its first bytes, '~' and a UUID derived from the whole id,
     * so it stays unique and the same on both collectors of a pair.
     */
    public static final int MAX_NAME_BYTES = 256;

    public TrapEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        id = TextBound.id(id, MAX_NAME_BYTES);
        message = TextBound.cut(message, MAX_MESSAGE_BYTES);
        fs = fs == null ? "" : xmlSafe(TextBound.cut(fs, MAX_NAME_BYTES));
        node = node == null ? "" : xmlSafe(TextBound.cut(node, MAX_NAME_BYTES));
        source = source == null ? "" : source;
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty trap id");
        }
    }

    /**
     * fs and node are made safe here because they also name counters and file systems that the API
     * lists. Replaces the characters XML 1.0 cannot carry (controls other than tab, lone surrogates,
     * U+FFFE/U+FFFF) with '?': a kernel or trap-file line holding one would otherwise make every
     * answer that includes the trap unreadable to XML-RPC clients.
     */
    static String xmlSafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // One comparison for the common case, printable and below the surrogates: a control
            // character wraps around to the top of the char range, so both ends fail it alike.
            if ((char) (c - 0x20) >= 0xD800 - 0x20 && !allowed(s, i)) {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    b.append(allowed(s, j) ? s.charAt(j) : '?');
                }
                return b.toString();
            }
        }
        return s;
    }

    private static boolean allowed(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20) {
            return c == '\t';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        return c != 0xFFFE && c != 0xFFFF;
    }
}
