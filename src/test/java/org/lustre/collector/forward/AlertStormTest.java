package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.service.Collector;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * A 100,000-trap storm (every target of a router's network disconnecting) through a running
 * collector that pushes to a stub Alertmanager: the alerts carry every trap (counts add up), none
 * is missed, queued out or refused; with an Alertmanager that never answers, the storm is stored
 * all the same (the watcher does not wait for the sender). Prints the forwarding threads' CPU
 * (BENCHMARKS.md); no timing assertion.
 */
class AlertStormTest {
    private static final int STORM = 100_000;
    private static final Pattern COUNT = Pattern.compile("\"count\":\"(\\d+)\"");

    private Path dir;
    private HttpServer am;
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong represented = new AtomicLong();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("alert-storm-");
        am = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        am.createContext("/api/v2/alerts", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Matcher m = COUNT.matcher(body);
            while (m.find()) {
                alerts.incrementAndGet();
                represented.addAndGet(Long.parseLong(m.group(1)));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        am.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        am.stop(0);
        org.lustre.collector.TempTree.delete(dir);
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private Collector collector() throws Exception {
        SimulatedTree tree = SimulatedTree.create(dir.resolve("lustre"), 1, 8, "2.15");
        CollectorConfig config = ConfigLoader.fromValues(Map.of("lustre-root", tree.root().toString(), "kmsg", "none",
                "interval", "1", "alertmanager", "http://127.0.0.1:" + am.getAddress().getPort()));
        Collector c = new Collector(config);
        c.start();
        await(c::ready, "first scan");
        return c;
    }

    /** Submits the storm as a source would, waiting for room; returns the wall time until all is stored. */
    private static long storm(Collector c) throws Exception {
        long before = c.store().stats().received();
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < STORM; i++) {
            String node = String.format("fs00-OST%04x", i % 50_000);
            TrapEvent e = new TrapEvent("storm-" + i, now, Category.CRITICAL, "fs00", node, "fs00-MDT0000-osc: "
                    + "Connection to " + node + " (at 10.1." + (i % 200) + "." + (i % 250) + "@o2ib1) was lost", "kmsg");
            while (!c.queue().submit(e)) {
                Thread.sleep(1);
            }
        }
        await(() -> c.store().stats().received() - before >= STORM, "the storm stored");
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long threadCpu(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return mx.getThreadCpuTime(t.getId());
            }
        }
        return 0;
    }

    @Test
    void everyTrapOfTheStormReachesAlertmanagerInAFewAlerts() throws Exception {
        try (Collector c = collector()) {
            long feed0 = threadCpu("lustre-forward");
            long sender0 = threadCpu("lustre-alertmanager");
            long wall = storm(c);
            // the aggregates are published once the storm is quiet; then the feed forwards them
            TrapStore store = c.store();
            await(() -> represented.get() >= stormTraps(store) && stormTraps(store) >= STORM,
                    "the storm's aggregates in Alertmanager");
            OutputStats s = c.forwarding().stats().get(0);
            assertEquals(0, c.forwarding().missed());
            assertEquals(0, s.queueFull());
            assertEquals(0, s.rejected());
            long feed = threadCpu("lustre-forward") - feed0;
            long sender = threadCpu("lustre-alertmanager") - sender0;
            System.out.printf("alert path, storm of %,d traps: stored in %,d ms wall; %,d alerts pushed for %,d traps; "
                            + "CPU: feed %.1f ms, sender %.1f ms%n", STORM, wall, alerts.get(), represented.get(),
                    feed / 1e6, sender / 1e6);
            assertTrue(alerts.get() < 1_000, alerts.get() + " alerts");
        }
    }

    /** Traps of the storm that the store published (aggregates count their members). */
    private static long stormTraps(TrapStore store) {
        long n = 0;
        for (Trap t : store.read(0, store.capacity()).traps()) {
            if (t.id().startsWith("storm-")) {
                n += t.count();
            }
        }
        return n;
    }

    @Test
    void anAlertmanagerThatNeverAnswersDoesNotSlowTheWatcher() throws Exception {
        hang = true;
        try (Collector c = collector()) {
            long wall = storm(c);
            await(() -> stormTraps(c.store()) >= STORM, "the storm's aggregates published");
            OutputStats s = c.forwarding().stats().get(0);
            assertEquals(0, s.sent());
            assertTrue(s.queued() > 0, s.toString());
            System.out.printf("alert path, storm of %,d traps with Alertmanager hanging: stored in %,d ms wall, "
                    + "%d alerts waiting%n", STORM, wall, s.queued());
        }
    }
}
