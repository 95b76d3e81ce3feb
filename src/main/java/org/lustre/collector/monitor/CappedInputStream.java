package org.lustre.collector.monitor;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the (already inflated) bytes of an answer and fails once it passes the cap, so a huge or
 * endless answer costs at most the cap in reading and never in memory. {@link #close()} does not
 * close the answer: the SAX parser closes its input even when it fails, and closing an httpclient5
 * entity stream reads it to the end to save the connection, which is exactly what must not happen
 * to a 50 MiB answer. The transport ends the answer itself (kept or cut). Single thread.
 */
final class CappedInputStream extends FilterInputStream {

    /** Thrown when the cap is passed; recognised by the transport, which shows its message. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long cap) {
            super("answer too large: more than " + MonitorOptions.formatBytes(cap) + " (--max-answer-mib)");
        }
    }

    private final long cap;
    private long count;

    CappedInputStream(InputStream in, long cap) {
        super(in);
        this.cap = cap;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public void close() {
        // Deliberately not closing the answer: see the class comment.
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws TooLargeException {
        count += n;
        if (count > cap) {
            throw new TooLargeException(cap);
        }
    }
}
