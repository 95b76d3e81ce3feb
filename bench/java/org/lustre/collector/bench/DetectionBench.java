package org.lustre.collector.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lustre.collector.sim.SimulatedTree;

/**
 * Item 3 and peer (a): how long an OST's change takes to show, with and without the kernel log,
 * beside a shell scrape loop over the same tree. One change of the tree at a time, watched by every
 * observer at once: collectors following the kmsg file (a kmsg record says it at once), collectors
 * with {@code --kmsg none} (only the scans and the 60 s connection sweep can see it), and the loop.
 * Per collector: seconds until getTraps shows a trap naming the OST, and until getFileSystemInfo's
 * notResponding lists it (or, for "back", no longer lists it). Main thread plus one poller per
 * observer.
 */
final class DetectionBench {
    static final String SECTION = "3. Detection at 100,000 OSTs: with the kernel log, without it (`--kmsg none`), "
            + "and a shell scrape loop";
    /** The sweep period plus two intervals and a margin: past this an observer has missed the change. */
    static final int TIMEOUT_SECONDS = CollectorBench.SWEEP + 3 * CollectorBench.INTERVAL;

    private final Report report;
    private final SimulatedTree tree;
    private final List<CollectorChild> collectors;
    private final Child loop;
    private final List<String> changeMillis = new ArrayList<>();

    /** An event: what changes in the tree, and what each observer must see. */
    private enum Event {
        DEACTIVATED("OST deactivated (lctl set_param osp.*.active=0)", "INACTIVE"),
        DISCONN("import DISCONN (connection lost)", "DISCONN"),
        BACK("OST back (import FULL again)", "FULL");

        final String title;
        final String loopState;

        Event(String title, String loopState) {
            this.title = title;
            this.loopState = loopState;
        }
    }

    DetectionBench(Report report, SimulatedTree tree, List<CollectorChild> collectors, Child loop) {
        this.report = report;
        this.tree = tree;
        this.collectors = collectors;
        this.loop = loop;
    }

    void run() throws Exception {
        report.note(SECTION, "Each change is made once in the shared tree while every observer watches: the "
                + "collectors of each JVM setup, one following the kmsg file and one with `--kmsg none` (scans every "
                + CollectorBench.INTERVAL + " s; the sweep re-reads every OST's ost_server_uuid within "
                + CollectorBench.SWEEP + " s), and the shell scrape loop `bench/scrape-loop.sh` (every "
                + CollectorBench.INTERVAL + " s: cat of each lod target_obd, find | xargs cat of every OST's "
                + "ost_server_uuid, awk against the cycle before). Deactivated: SimulatedTree.deactivate (target_obd "
                + "INACTIVE, active 0, ost_server_uuid DEACTIVATED, one kmsg record); DISCONN: SimulatedTree.ostDown "
                + "(import, state and ost_server_uuid DISCONN, one kmsg record); back: SimulatedTree.ostUp (FULL, "
                + "one kmsg record). getTraps(last timestamp) and getFileSystemInfo are polled every 200 ms; "
                + "'not seen' = not within " + TIMEOUT_SECONDS + " s. Where the sweep's cursor stands when an OST "
                + "drops decides the time without the kernel log, within the sweep.");
        String fsA = "fs42";
        int a = 7;
        String fsB = "fs55";
        int b = 256;
        if (!tree.isActive(fsA, a)) {
            tree.activate(fsA, a);
        }
        if (tree.isDown(fsB, b)) {
            tree.ostUp(fsB, b);
        }
        Thread.sleep((CollectorBench.SWEEP + 2L * CollectorBench.INTERVAL) * 1000L / 4); // let a reused tree settle
        observe(Event.DEACTIVATED, fsA, a, () -> tree.deactivate(fsA, a));
        tree.activate(fsA, a);
        observe(Event.DISCONN, fsB, b, () -> tree.ostDown(fsB, b, true));
        observe(Event.BACK, fsB, b, () -> tree.ostUp(fsB, b));
        report.note(SECTION, "Writing each change into the tree took " + String.join(", ", changeMillis)
                + "; the times above start when it is written.");
    }

    interface Change {
        boolean make() throws Exception;
    }

    /** {seconds to getTraps, seconds to notResponding}; NaN = not seen. */
    private record Seen(double traps, double notResponding) {
    }

    private void observe(Event event, String fs, int index, Change change) throws Exception {
        String name = SimulatedTree.targetName(fs, index);
        Map<CollectorChild, Long> since = new LinkedHashMap<>();
        for (CollectorChild c : collectors) {
            since.put(c, Rpc.lastInt(Rpc.call(c.port, "getTraps", 0)));
        }
        long loopFrom = Files.size(loop.log());
        System.out.println("  detection: " + event + " " + name);
        long m0 = System.nanoTime();
        if (!change.make()) {
            throw new IllegalStateException(name + ": " + event + " changed nothing");
        }
        // timed from the end of the change: writing it is the simulator's time, not the observers'
        long t0 = System.nanoTime();
        changeMillis.add(Report.f("%s %.0f ms", event.name().toLowerCase(java.util.Locale.ROOT), (t0 - m0) / 1e6));
        Map<CollectorChild, Seen> seen = new LinkedHashMap<>();
        List<Thread> pollers = new ArrayList<>();
        for (CollectorChild c : collectors) {
            Thread t = new Thread(() -> {
                Seen s = poll(c, fs, name, since.get(c), event, t0);
                synchronized (seen) {
                    seen.put(c, s);
                }
            }, "detect-" + c.label);
            t.setDaemon(true);
            t.start();
            pollers.add(t);
        }
        double loopSeconds = Double.NaN;
        while (System.nanoTime() - t0 < TIMEOUT_SECONDS * 1_000_000_000L) {
            if (Double.isNaN(loopSeconds) && loopSaw(loopFrom, name, event)) {
                loopSeconds = (System.nanoTime() - t0) / 1e9;
            }
            boolean pollersDone = pollers.stream().noneMatch(Thread::isAlive);
            if (pollersDone && !Double.isNaN(loopSeconds)) {
                break;
            }
            Thread.sleep(200);
        }
        for (Thread t : pollers) {
            t.join(5_000);
        }
        for (CollectorChild c : collectors) {
            Seen s = seen.getOrDefault(c, new Seen(Double.NaN, Double.NaN));
            double limit = c.kmsg ? 1.0 : CollectorBench.SWEEP;
            double worst = Math.max(nanToMax(s.traps()), nanToMax(s.notResponding()));
            String figure = Report.f("%s%s, %s: seconds to getTraps / to %s", c.setup.tag(),
                    event.title, c.kmsg ? "kernel log followed" : "`--kmsg none`",
                    event == Event.BACK ? "notResponding (gone from it)"
                            : event == Event.DEACTIVATED ? "getNodeInfo active false" : "notResponding");
            report.explain(figure, c.kmsg
                    ? Report.f("getTraps hands out closed seconds only (its exactly-once contract by timestamp), so a "
                            + "trap waits for the end of the second it came in, 0-1 s, before the first call that "
                            + "can see it; the node's own state changed after %s s", secs(s.notResponding()))
                    : Report.f("without the kernel log the change is seen when the %d s sweep reaches the target's "
                            + "ost_server_uuid: anywhere from one scan to the whole sweep", CollectorBench.SWEEP));
            report.row(SECTION, figure,
                    secs(s.traps()) + " / " + secs(s.notResponding()),
                    Report.f("scrape loop %s", secs(loopSeconds)),
                    Double.isNaN(loopSeconds) || worst == Double.MAX_VALUE ? ""
                            : Report.f("%.2f", worst / loopSeconds),
                    Report.f("<= %.0f s", limit), Report.status(worst <= limit));
        }
        report.row(SECTION, "scrape loop: " + event.title + ": seconds to its change line",
                secs(loopSeconds), Report.f("its cycle every %d s", CollectorBench.INTERVAL), "", "(info)", "info");
    }

    private static double nanToMax(double d) {
        return Double.isNaN(d) ? Double.MAX_VALUE : d;
    }

    private static String secs(double s) {
        return Double.isNaN(s) ? "not seen" : Report.f("%.1f s", s);
    }

    private boolean loopSaw(long from, String name, Event event) throws java.io.IOException {
        byte[] all = Files.readAllBytes(loop.log());
        String tail = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from, all.length)),
                java.nio.charset.StandardCharsets.UTF_8);
        for (String l : tail.split("\n")) {
            if (l.contains(" " + name + "_UUID ") && l.contains(event.loopState)) {
                return true;
            }
        }
        return false;
    }

    private static Seen poll(CollectorChild c, String fs, String name, long since, Event event, long t0) {
        double traps = Double.NaN;
        double listed = Double.NaN;
        while (System.nanoTime() - t0 < TIMEOUT_SECONDS * 1_000_000_000L
                && (Double.isNaN(traps) || Double.isNaN(listed))) {
            try {
                Thread.sleep(200);
                if (Double.isNaN(traps) && Rpc.call(c.port, "getTraps", (int) since).contains(name)) {
                    traps = (System.nanoTime() - t0) / 1e9;
                }
                if (Double.isNaN(listed) && event == Event.DEACTIVATED) {
                    // Deactivated is not "not responding" (nobody expects it to answer): the node's
                    // own state shows it, active false.
                    String node = Rpc.post(c.port, "getNodeInfo", Rpc.body("getNodeInfo", name));
                    if (node.replaceAll("\\s", "").contains("<name>active</name><value><boolean>0</boolean>")) {
                        listed = (System.nanoTime() - t0) / 1e9;
                    }
                } else if (Double.isNaN(listed)) {
                    String info = Rpc.post(c.port, "getFileSystemInfo", Rpc.body("getFileSystemInfo", fs));
                    int from = info.indexOf("<name>notResponding</name>");
                    int to = info.indexOf("</array>", from);
                    boolean in = from >= 0 && to > from && info.substring(from, to).contains(name);
                    if (in != (event == Event.BACK)) {
                        listed = (System.nanoTime() - t0) / 1e9;
                    }
                }
            } catch (java.io.IOException e) {
                // a call timed out on the loaded machine (HTTP 408 and the like): ask again
                System.out.println("  " + c.label + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Seen(traps, listed);
            }
        }
        return new Seen(traps, listed);
    }

    /** The scrape loop's CPU per cycle, over a window of the run (cycles counted from its log). */
    static void loopCost(Report report, String section, Child loop, long cpu0, int cycles0) throws Exception {
        long cpu = loop.cpuMillis() - cpu0;
        int cycles = cycles(loop) - cycles0;
        List<Long> took = new ArrayList<>();
        for (String l : Files.readAllLines(loop.log())) {
            if (l.startsWith("cycle ")) {
                took.add(Long.parseLong(l.split(" ")[2]));
            }
        }
        took = took.subList(Math.min(1, took.size()), took.size()); // the first cycle fills the page cache
        double wall = took.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        report.row(section, Report.f("scrape loop (bash, cat, find | xargs cat, awk) every %d s over 100,000 OSTs: "
                        + "CPU per cycle", CollectorBench.INTERVAL),
                Report.f("%.0f ms (wall %.0f ms; %d cycles)", cycles == 0 ? Double.NaN : (double) cpu / cycles, wall,
                        cycles),
                Report.f("%.2f%% of one core if it kept one cycle per %d s", cycles == 0 ? Double.NaN
                        : 100.0 * cpu / cycles / (CollectorBench.INTERVAL * 1000.0), CollectorBench.INTERVAL),
                "", "(info)", "info");
    }

    static int cycles(Child loop) throws java.io.IOException {
        int n = 0;
        for (String l : Files.readAllLines(loop.log())) {
            if (l.startsWith("cycle ")) {
                n++;
            }
        }
        return n;
    }

    static Child startLoop(Path script, Path root, Path work) throws java.io.IOException {
        return Child.command("scrape loop", List.of("bash", script.toString(), root.toString(),
                Integer.toString(CollectorBench.INTERVAL)), work.resolve("scrape-loop.log"));
    }
}
