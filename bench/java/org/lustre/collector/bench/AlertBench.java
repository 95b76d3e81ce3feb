package org.lustre.collector.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * Issue 16's leftover: what pushing alerts costs during a 100,000-trap storm. A loopback HTTP
 * receiver in the harness stands for Alertmanager (POST /api/v2/alerts, answers 200 at once) and
 * counts the alerts and the traps they stand for (the "count" annotation); the same storm goes
 * through the trap file of a collector with {@code --alertmanager} and of one without, while 8
 * clients poll getTraps at 20 calls/s each. Main thread plus the receiver's.
 */
final class AlertBench implements AutoCloseable {
    private static final Pattern COUNT = Pattern.compile("\"count\":\"(\\d+)\"");

    private final Report report;
    private final HttpServer receiver;
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong represented = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private long seq = 9_000_000;

    AlertBench(Report report) throws java.io.IOException {
        this.report = report;
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/api/v2/alerts", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            posts.incrementAndGet();
            Matcher m = COUNT.matcher(body);
            while (m.find()) {
                alerts.incrementAndGet();
                represented.addAndGet(Long.parseLong(m.group(1)));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
    }

    /** The collector option that points at the receiver. */
    String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    /** One storm into each of the two collectors of a setup: {@code plain} without alerting, {@code alerting} with. */
    void compare(CollectorChild plain, CollectorChild alerting) throws Exception {
        Result without = storm(plain);
        long a0 = alerts.get();
        long r0 = represented.get();
        long p0 = posts.get();
        long s0 = alerting.child.threadCpuMillis("lustre-alertman");
        String out0 = Rpc.call(alerting.port, "getCollectorInfo");
        Result with = storm(alerting);
        // the sender may still be sending: wait until the receiver has been quiet for 2 s (at most 60 s)
        long quietSince = System.nanoTime();
        long last = alerts.get();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() - quietSince < 2_000_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (alerts.get() != last) {
                last = alerts.get();
                quietSince = System.nanoTime();
            }
        }
        long sender = alerting.child.threadCpuMillis("lustre-alertman") - s0;
        String out1 = Rpc.call(alerting.port, "getCollectorInfo");
        long sent = orZero(Rpc.member(out1, "sent")) - orZero(Rpc.member(out0, "sent"));
        long unsent = orZero(Rpc.member(out1, "unsent")) - orZero(Rpc.member(out0, "unsent"));
        String tag = alerting.setup.tag();
        report.row(CollectorBench.STORM, tag + "alerting during a 100,000-trap storm (paced clients): time to take "
                        + "the storm in, with `--alertmanager` / without",
                Report.f("%.1f s / %.1f s", with.seconds, without.seconds),
                Report.f("collector CPU %.1f s / %.1f s", with.cpuMillis / 1000.0, without.cpuMillis / 1000.0),
                Report.f("%.2fx", with.seconds / without.seconds), "watcher not slowed: <= 1.5x",
                Report.status(with.seconds <= 1.5 * without.seconds));
        report.row(CollectorBench.STORM, tag + "alerting: alerts received (traps they stand for), POSTs; sender "
                        + "thread CPU",
                Report.f("%,d alerts (%,d traps), %,d POSTs; sender CPU %d ms; getCollectorInfo's output: sent %,d, "
                        + "unsent %,d", alerts.get() - a0, represented.get() - r0, posts.get() - p0, sender, sent,
                        unsent),
                "", "", "(info)", "info");
        boolean same = with.rows == without.rows && with.dropped == 0 && without.dropped == 0;
        report.row(CollectorBench.STORM, tag + "alerting: what getTraps shows of the storm, with / without; lost to "
                        + "the full queue",
                Report.f("%d / %d traps; %d / %d lost", with.rows, without.rows, with.dropped, without.dropped), "", "",
                "the same, none lost", Report.status(same));
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private record Result(double seconds, long cpuMillis, long dropped, int rows) {
    }

    private Result storm(CollectorChild c) throws Exception {
        int n = 100_000;
        StringBuilder sb = new StringBuilder(n * IngestBench.LINE_BYTES);
        long now = System.currentTimeMillis();
        long first = seq;
        for (int i = 0; i < n; i++) {
            sb.append(IngestBench.stormLine(first + i, now)).append('\n');
        }
        seq += n;
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        String info0 = Rpc.call(c.port, "getCollectorInfo");
        long since = Rpc.lastInt(Rpc.call(c.port, "getTraps", 0));
        try (Load load = new Load(c.port, "/RPC2", Rpc.body("getTraps", 0), 8, 50)) {
            Thread.sleep(1_000);
            CollectorChild.Intake in = c.feedTrapFile(bytes, n, 120, info0);
            // the storm's aggregates publish after their hold (3 s), and getTraps waits for the second to close
            Thread.sleep(5_000);
            String answer = Rpc.call(c.port, "getTraps", (int) since);
            int rows = answer.split("</array></value>").length - 2;
            return new Result(in.seconds(), in.cpuMillis(), in.dropped(), rows);
        }
    }

    @Override
    public void close() {
        receiver.stop(0);
    }
}
