package org.lustre.collector.source;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a byte stream into '\n'-terminated UTF-8 lines. Bytes after the last '\n' are held until the
 * line is completed, so a line the writer has only half written is never parsed. Lines are decoded
 * whole, so a multi-byte character split across two reads comes out intact. A trailing '\r' is
 * dropped. A line longer than {@link #MAX_LINE} bytes is cut there (the rest up to its '\n' is
 * discarded) so a writer that never ends a line cannot grow memory without bound.
 * Not thread-safe: owned by one source thread.
 */
final class LineSplitter {
    /** Longest line kept; no trap or kernel record comes near it. */
    static final int MAX_LINE = 64 * 1024;

    /** Receives each complete line. */
    interface LineHandler {
        void line(String line);
    }

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
    private boolean discarding;

    /** Consumes all remaining bytes of {@code buf}, handing over every line completed by them. */
    void feed(ByteBuffer buf, LineHandler handler) {
        while (buf.hasRemaining()) {
            byte b = buf.get();
            if (b == '\n') {
                String line = discarding ? null : decode();
                pending.reset();
                discarding = false;
                if (line != null) {
                    handler.line(line);
                }
            } else if (pending.size() < MAX_LINE) {
                pending.write(b);
            } else if (!discarding) {
                // Hand over what we have: the parser will reject or accept it on its own merits.
                discarding = true;
                String line = decode();
                pending.reset();
                handler.line(line);
            }
        }
    }

    /** True when bytes of an unfinished line are held. */
    boolean hasPartial() {
        return pending.size() > 0;
    }

    /**
     * Hands over the held unfinished line as if it were complete (its file was rotated away and
     * will not grow any more) and clears it.
     */
    void flush(LineHandler handler) {
        if (pending.size() > 0 && !discarding) {
            String line = decode();
            pending.reset();
            handler.line(line);
        }
        reset();
    }

    /** Forgets any held bytes (the file was truncated: they will never be completed). */
    void reset() {
        pending.reset();
        discarding = false;
    }

    private String decode() {
        String s = pending.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
