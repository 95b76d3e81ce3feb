package org.lustre.collector.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.lustre.collector.sim.DemoEvents;
import org.lustre.collector.sim.SimulatedTree;

/**
 * Item 4: an hour of events compressed into a few minutes. The demo's event generator
 * (DemoEvents: OSTs lost and back, filled, deactivated, trap-file lines, kmsg records, router
 * failures, each undone later) runs on the shared tree every {@link #PERIOD_MILLIS} ms, so
 * {@link #SECONDS} s hold as many events as an hour at one every 100 ms; every collector keeps
 * scanning at its interval, and a web page's polling runs against each (every 2 s: getFileSystemInfo
 * of every file system in one multicall, and getTraps from its last timestamp). Resident size and
 * heap after a full collection (jcmd GC.run) at the start and the end. Main thread plus one poller
 * per collector.
 */
final class LongRun {
    static final int PERIOD_MILLIS = 5;
    static final int SECONDS = 180;
    /** Events before the start's figures: the trap store and its storm kinds fill first. */
    static final int WARM_UP_SECONDS = 30;

    private final Report report;
    private final SimulatedTree tree;
    private final List<CollectorChild> collectors;

    LongRun(Report report, SimulatedTree tree, List<CollectorChild> collectors) {
        this.report = report;
        this.tree = tree;
        this.collectors = collectors;
    }

    void run(int seconds) throws Exception {
        Map<CollectorChild, long[]> start = new LinkedHashMap<>();
        Map<CollectorChild, Map<String, Long>> startClasses = new LinkedHashMap<>();
        Configurator.setLevel(DemoEvents.class.getName(), Level.WARN);
        List<Thread> pages = new ArrayList<>();
        long events;
        long w0;
        // Also past the first sweep plus two scans: before it a collector still meets targets for
        // the first time, and their readings would show as growth.
        long firstSweepDone = (CollectorBench.SWEEP + 2L * CollectorBench.INTERVAL) * 1000L;
        long warm = WARM_UP_SECONDS * 1000L;
        for (CollectorChild c : collectors) {
            warm = Math.max(warm, firstSweepDone - (System.nanoTime() - c.startedNanos) / 1_000_000);
        }
        try (DemoEvents demo = new DemoEvents(tree, PERIOD_MILLIS, 15)) {
            demo.start();
            long p0 = System.nanoTime();
            for (CollectorChild c : collectors) {
                int pageSeconds = (int) (warm / 1000) + seconds + 30;
                Thread t = new Thread(() -> page(c, p0, pageSeconds), "page-" + c.label);
                t.setDaemon(true);
                t.start();
                pages.add(t);
            }
            // The start is taken once the store and the storm kinds have filled with the events' traps.
            Thread.sleep(warm);
            long e0 = demo.events();
            for (CollectorChild c : collectors) {
                Map<String, Long> classes = new java.util.HashMap<>();
                start.put(c, new long[] {c.child.rssKiB(), retained(c, classes), c.child.cpuMillis()});
                startClasses.put(c, classes);
            }
            w0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            events = demo.events() - e0;
        }
        double wall = (System.nanoTime() - w0) / 1e9;
        report.note(CollectorBench.MEMORY, Report.f("Long run: DemoEvents on the shared tree every %d ms for %.0f s "
                + "(after %d s of the same to fill the store and end the first sweep; %,d events: %.0f minutes' worth at one every 100 ms; "
                + "the generator asks for one every %d ms, each event rewrites files of the 100,000-OST tree and they "
                + "came no faster), every collector scanning at its interval (%d s: %d scans, %d full sweeps), and a "
                + "web page's polling against each (every 2 s: getFileSystemInfo of all 100 file systems in one "
                + "multicall, getTraps from its last timestamp). Heap after GC: the live objects' bytes of "
                + "`jcmd PID GC.class_histogram` (a full collection first; the relaunched child's for the plain "
                + "command), the smallest of three taken 2 s apart at the start and at the end, so that work in "
                + "flight at one moment (a scan rebuilding node maps) is not counted as growth. Target: the heap "
                + "after GC "
                + "grows by at most 5%% of its start over the run.", PERIOD_MILLIS, wall, warm / 1000, events,
                events / 600.0, PERIOD_MILLIS, CollectorBench.INTERVAL, (int) (wall / CollectorBench.INTERVAL),
                (int) (wall / CollectorBench.SWEEP)));
        for (Thread t : pages) {
            t.interrupt();
        }
        for (CollectorChild c : collectors) {
            long[] s = start.get(c);
            long rss = c.child.rssKiB();
            Map<String, Long> classes = new java.util.HashMap<>();
            long heap = retained(c, classes);
            long cpu = c.child.cpuMillis() - s[2];
            double growth = s[1] <= 0 ? Double.NaN : (double) (heap - s[1]) / s[1];
            String figure = Report.f("%slong run (%,d events in %.0f s, page polling, scans): heap "
                    + "after GC, start > end", c.setup.tag(), events, wall);
            report.row(CollectorBench.MEMORY, figure,
                    Report.f("%.1f > %.1f MiB (%+.1f%%)", s[1] / 1024.0, heap / 1024.0, 100 * growth),
                    Report.f("resident %.0f > %.0f MiB (%+.0f MiB)", s[0] / 1024.0, rss / 1024.0, (rss - s[0]) / 1024.0),
                    Report.f("CPU %.1f%% of one core", 100.0 * cpu / (wall * 1000)), "heap growth <= 5%",
                    Report.status(growth <= 0.05));
            if (growth > 0.05) {
                report.explain(figure, "what grew most (the histograms of the start and the end): " + topGrowth(
                        startClasses.get(c), classes) + "; node maps (HashMap$Node) and readings' space figures ([J) are "
                        + "bounded by the number of targets (one reading a target, at most two snapshots: the last and "
                        + "the one a scan builds); int arrays ([I) had no referrer among the heap's objects in a heap "
                        + "dump of the collector at 100,000 OSTs (6.4 MB of them): not explained");
                report.profile(grown(c, startClasses.get(c), classes));
            }
        }
    }

    /** The classes whose live bytes grew most over the run (GC.class_histogram at the start and the end). */
    private static String grown(CollectorChild c, Map<String, Long> before, Map<String, Long> after) {
        StringBuilder b = new StringBuilder("### Long run: what grew in the live heap (" + c.setup.name()
                + ", jcmd GC.class_histogram at the start and the end)\n\n| class | start | end | growth |\n"
                + "|---|---|---|---|\n");
        mostGrown(before, after, 12).forEach(e -> b.append(Report.f("| `%s` | %.2f MiB | %.2f MiB | %+.2f MiB |%n",
                e.getKey(), before.getOrDefault(e.getKey(), 0L) / 1048576.0, e.getValue() / 1048576.0,
                (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1048576.0)));
        return b.toString();
    }

    /** The three classes that grew most, "name +x.xx MiB". */
    private static String topGrowth(Map<String, Long> start, Map<String, Long> end) {
        return mostGrown(start, end, 3)
                .map(e -> Report.f("%s %+.2f MiB", e.getKey(), (e.getValue() - start.getOrDefault(e.getKey(), 0L))
                        / 1048576.0))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The end's classes, those that grew most first. */
    private static java.util.stream.Stream<Map.Entry<String, Long>> mostGrown(Map<String, Long> before,
                                                                             Map<String, Long> after, int n) {
        return after.entrySet().stream()
                .sorted((x, y) -> Long.compare(y.getValue() - before.getOrDefault(y.getKey(), 0L),
                        x.getValue() - before.getOrDefault(x.getKey(), 0L)))
                .limit(n);
    }

    /** The smallest heap after GC of three histograms 2 s apart; {@code classes} gets that one's classes. */
    private static long retained(CollectorChild c, Map<String, Long> classes) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                Thread.sleep(2_000);
            }
            Map<String, Long> now = new java.util.HashMap<>();
            long heap = c.child.heapAfterGc(now);
            if (heap >= 0 && heap < best) {
                best = heap;
                classes.clear();
                classes.putAll(now);
            }
        }
        return best == Long.MAX_VALUE ? -1 : best;
    }

    private static void page(CollectorChild c, long w0, int seconds) {
        try {
            List<String> names = Rpc.strings(Rpc.call(c.port, "getFileSystems"));
            byte[] multi = Rpc.multicall("getFileSystemInfo", names);
            long since = Rpc.lastInt(Rpc.call(c.port, "getTraps", 0));
            while (System.nanoTime() - w0 < seconds * 1_000_000_000L) {
                Rpc.post(c.port, "system.multicall", multi);
                long t = Rpc.lastInt(Rpc.call(c.port, "getTraps", (int) since));
                if (t > 0) {
                    since = t;
                }
                Thread.sleep(2_000);
            }
        } catch (InterruptedException e) {
            // the run is over
        } catch (Exception e) {
            System.out.println("  page polling of " + c.label + ": " + e);
        }
    }
}
