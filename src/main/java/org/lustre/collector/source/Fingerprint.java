package org.lustre.collector.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * The last bytes a {@link FileFollower} read (up to {@link #BYTES}), read again and compared, as
 * log shippers do, to tell a rewritten file from one that grew. For the source thread only.
 */
final class Fingerprint {
    /** How many bytes before the read offset are compared to tell a rewritten file. */
    static final int BYTES = 1024;

    private final byte[] last = new byte[BYTES];
    private int length;
    private final ByteBuffer check = ByteBuffer.allocate(BYTES);

    /** Forgets what was read (reading starts over). */
    void reset() {
        length = 0;
    }

    /** Keeps the newest bytes, those of {@code b}'s remaining chunk last; leaves {@code b} as it was. */
    void remember(ByteBuffer b) {
        int n = b.remaining();
        int keep = Math.min(BYTES - Math.min(n, BYTES), length);
        System.arraycopy(last, length - keep, last, 0, keep);
        int take = Math.min(n, BYTES);
        b.get(b.limit() - take, last, keep, take);
        length = keep + take;
    }

    /** The number of bytes compared by {@link #matches}. */
    int length() {
        return length;
    }

    /** True when {@code ch} still holds the remembered bytes just before {@code position}. */
    boolean matches(FileChannel ch, long position) throws IOException {
        if (length == 0) {
            return true;
        }
        check.clear().limit(length);
        long at = position - length;
        while (check.hasRemaining()) {
            if (ch.read(check, at + check.position()) < 0) {
                break;
            }
        }
        return check.position() == length && Arrays.equals(check.array(), 0, length, last, 0, length);
    }
}
