package org.lustre.collector.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load client: N threads, each with its own keep-alive HTTP/1.1 connection on loopback,
 * sending the same POST back to back (closed loop) or at a fixed pace. Latencies are recorded
 * only while {@link #record(boolean)} is on, into plain arrays sorted at the end (no histogram
 * library). Started and driven from one thread; the workers are daemons.
 */
final class Load implements AutoCloseable {
    /** Calls/s and latency percentiles of the recorded window. */
    record Result(long calls, double seconds, double p50Millis, double p99Millis, double maxMillis, long errors,
                  long answerBytes) {
        double callsPerSecond() {
            return calls / seconds;
        }
    }

    private final List<Worker> workers = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean recording;
    private volatile boolean paused;
    private volatile boolean stopped;
    private long recordStart;
    private long recordNanos;

    /**
     * @param paceMillis 0 = closed loop (next call as soon as the answer is read), else each
     *                   client sends one call every paceMillis
     */
    Load(int port, String path, byte[] body, int clients, long paceMillis) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: text/xml\r\nUser-Agent: lustre-collector-bench\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        for (int i = 0; i < clients; i++) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            Worker w = new Worker(s, request, paceMillis);
            workers.add(w);
        }
        for (int i = 0; i < workers.size(); i++) {
            Thread t = new Thread(workers.get(i), "load-" + i);
            t.setDaemon(true);
            workers.get(i).thread = t;
            t.start();
        }
    }

    /** Closed-loop load for warm-up, then a measured window. */
    static Result run(int port, String path, byte[] body, int clients, long warmMillis, long measureMillis)
            throws IOException, InterruptedException {
        try (Load load = new Load(port, path, body, clients, 0)) {
            Thread.sleep(warmMillis);
            load.record(true);
            Thread.sleep(measureMillis);
            load.record(false);
            return load.result();
        }
    }

    /** Paused clients finish the call in flight, then send nothing until resumed. */
    void pause(boolean on) {
        paused = on;
    }

    void record(boolean on) {
        if (on) {
            recordStart = System.nanoTime();
            recording = true;
        } else {
            recording = false;
            recordNanos += System.nanoTime() - recordStart;
        }
    }

    Result result() {
        long n = 0;
        long bytes = 0;
        for (Worker w : workers) {
            n += w.count;
            bytes = Math.max(bytes, w.lastAnswerBytes);
        }
        long[] all = new long[(int) n];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        return new Result(n, recordNanos / 1e9, pct(all, 0.50), pct(all, 0.99),
                all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6, errors.get(), bytes);
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Worker w : workers) {
            try {
                w.socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Worker w : workers) {
            w.thread.join(5_000);
        }
    }

    private final class Worker implements Runnable {
        final Socket socket;
        final byte[] request;
        final long paceNanos;
        Thread thread;
        long[] latencies = new long[1 << 16];
        int count;
        long lastAnswerBytes;

        Worker(Socket socket, byte[] request, long paceMillis) {
            this.socket = socket;
            this.request = request;
            this.paceNanos = paceMillis * 1_000_000L;
        }

        @Override
        public void run() {
            try {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                byte[] sink = new byte[64 * 1024];
                long next = System.nanoTime();
                while (!stopped) {
                    if (paused) {
                        Thread.sleep(1);
                        next = System.nanoTime();
                        continue;
                    }
                    if (paceNanos > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                        }
                        next += paceNanos;
                    }
                    long t0 = System.nanoTime();
                    out.write(request);
                    out.flush();
                    long len = readAnswer(in, sink);
                    long took = System.nanoTime() - t0;
                    lastAnswerBytes = len;
                    if (recording) {
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = took;
                    }
                }
            } catch (IOException e) {
                if (!stopped) {
                    errors.incrementAndGet();
                    System.out.println("  load client: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads one HTTP/1.1 answer with a Content-Length; returns the body length. */
    private long readAnswer(InputStream in, byte[] sink) throws IOException {
        StringBuilder line = new StringBuilder();
        long length = -1;
        int status = -1;
        while (true) {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.length() == 0) {
                break;
            }
            String l = line.toString();
            if (status < 0) {
                status = Integer.parseInt(l.substring(9, 12));
            } else if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(l.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length (status " + status + ")");
        }
        long left = length;
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new IOException("connection closed in the body");
            }
            left -= n;
        }
        if (status != 200) {
            errors.incrementAndGet();
        }
        return length;
    }
}
