package org.lustre.collector.source;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into '\n'-terminated UTF-8 lines. Bytes after the last '\n' are held until the
 * line is completed, so a line the writer has only half written is never parsed. Lines are decoded
 * whole, so a multi-byte character split across two reads comes out intact. A trailing '\r' is
 * dropped. A line longer than {@link #MAX_LINE} bytes is cut there (the rest up to its '\n' is
 * discarded) so a writer that never ends a line cannot grow memory without bound.
 * <p>
 * Lines that lie whole in one buffer are decoded straight from it; only the unfinished tail of a
 * buffer is copied, into the held bytes (a trap storm is read at millions of lines a second).
 * Not thread-safe: owned by one source thread.
 */
final class LineSplitter {
    /** Longest line kept; no trap or kernel record comes near it. */
    static final int MAX_LINE = 64 * 1024;

    /** The held bytes of an unfinished line: {@code pending[0, pendingLength)}. */
    private byte[] pending = new byte[256];
    private int pendingLength;
    private boolean discarding;
    /** While discarding: whether any byte of the over-long line arrived after the cut one. */
    private boolean discardedSinceCut;
    /** For buffers without an accessible array. */
    private byte[] scratch;

    /** Consumes all remaining bytes of {@code buf}, handing over every line completed by them. */
    void feed(ByteBuffer buf, Consumer<String> handler) {
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int base = buf.arrayOffset();
            while (buf.hasRemaining()) {
                // consume one line (or the tail) at a time, so the buffer's position is past every
                // line handed over, as if read byte by byte, should a handler throw
                int end = scan(a, base + buf.position(), base + buf.limit(), handler);
                buf.position(end - base);
            }
            return;
        }
        if (scratch == null) {
            scratch = new byte[8192];
        }
        while (buf.hasRemaining()) {
            int n = Math.min(scratch.length, buf.remaining());
            buf.get(scratch, 0, n);
            for (int from = 0; from < n; ) {
                from = scan(scratch, from, n, handler);
            }
        }
    }

    /**
     * Consumes {@code a[from, to)} up to and including the first line end (or all of it when it has
     * none), handing over the line it completes, if any. Returns where it stopped.
     */
    private int scan(byte[] a, int from, int to, Consumer<String> handler) {
        int nl = indexOf(a, from, to);
        if (discarding) {
            if (nl < 0) {
                discardedSinceCut |= to > from;
                return to;
            }
            discarding = false;
            discardedSinceCut = false;
            pendingLength = 0;
            return nl + 1;
        }
        int segmentEnd = nl < 0 ? to : nl;
        int room = MAX_LINE - pendingLength;
        if (segmentEnd - from > room) {
            // Over-long: hand over the first MAX_LINE bytes (the parser will reject or accept them
            // on its own merits); the byte after them and the rest of the line up to '\n' go.
            String line;
            if (pendingLength == 0) {
                line = decode(a, from, MAX_LINE);
            } else {
                append(a, from, room);
                line = decode(pending, 0, pendingLength);
            }
            pendingLength = 0;
            discarding = true;
            int cut = from + room;
            discardedSinceCut = nl < 0 ? to > cut + 1 : nl > cut + 1;
            handler.accept(line);
            return cut + 1;
        }
        if (nl < 0) {
            append(a, from, to - from);
            return to;
        }
        String line;
        if (pendingLength == 0) {
            line = decode(a, from, nl - from);
        } else {
            append(a, from, nl - from);
            line = decode(pending, 0, pendingLength);
            pendingLength = 0;
        }
        handler.accept(line);
        return nl + 1;
    }

    private static int indexOf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(byte[] a, int from, int length) {
        int need = pendingLength + length;
        if (need > pending.length) {
            pending = Arrays.copyOf(pending, Math.min(MAX_LINE, Math.max(need, 2 * pending.length)));
        }
        System.arraycopy(a, from, pending, pendingLength, length);
        pendingLength = need;
    }

    /** True when bytes of an unfinished line are held. */
    boolean hasPartial() {
        return pendingLength > 0 || (discarding && discardedSinceCut);
    }

    /**
     * Hands over the held unfinished line as if it were complete (its file was rotated away and
     * will not grow any more) and clears it.
     */
    void flush(Consumer<String> handler) {
        if (pendingLength > 0 && !discarding) {
            String line = decode(pending, 0, pendingLength);
            reset();
            handler.accept(line);
        }
        reset();
    }

    /** Forgets any held bytes (the file was truncated: they will never be completed). */
    void reset() {
        pendingLength = 0;
        discarding = false;
        discardedSinceCut = false;
        if (pending.length > 4096) {
            pending = new byte[256]; // an over-long line's buffer is not kept for good
        }
    }

    /** The line {@code a[from, from + length)}, without a trailing '\r'. */
    private static String decode(byte[] a, int from, int length) {
        // 0x0D is never part of a multi-byte UTF-8 sequence, so dropping the byte is dropping the char
        if (length > 0 && a[from + length - 1] == '\r') {
            length--;
        }
        return new String(a, from, length, StandardCharsets.UTF_8);
    }
}
