package org.lustre.collector.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lustre.collector.sim.SimulatedTree;

/**
 * Items 2 to 7 against the packaged collector ({@code java -jar lustre-collector.jar}) as child
 * JVMs over the simulated 100,000-OST tree, one per {@link Setup} (the plain command, the packaged
 * flags, the JVM's defaults), side by side: idle CPU beside an idle JVM and beside a twin without the
 * sweep, resident size, detection with and without the kernel log beside a shell scrape loop, a long
 * run, API throughput and latency beside the same Tomcat serving the recorded answers, the API during
 * a 100,000-trap storm, alerting during a storm, and trap intake beside rsyslog.
 */
final class CollectorBench {
    static final String SCALE = ScanBench.SECTION;
    static final String API = "4. API (8 keep-alive clients on loopback)";
    static final String MEMORY = "5. Memory and a long run";
    static final String STORM = "6. Storm while serving, and alerting";
    static final int INTERVAL = 5;
    /** The collector's default sweep option (seconds): every OST's connection re-read within it. */
    static final int SWEEP = 60;
    /** A sweep so long it reads ~6 ost_server_uuid a scan: the twin that tells the sweep's cost apart. */
    static final int NO_SWEEP = 86_400;
    static final int MAX_TRAPS = 250;
    /** Resident-size target (MiB), for every setup. */
    static final int RSS_TARGET_MIB = 192;

    private final Report report;
    private final Path jar;
    private final Path classes;
    private final Path work;
    private final Path tree;
    private final List<Setup> setups;
    private final List<String> packagedFlags;
    private final int idleSeconds;
    private final int apiSeconds;
    private final int longRunSeconds;

    CollectorBench(Report report, Path jar, Path classes, Path work, Path tree, List<Setup> setups,
                   List<String> packagedFlags, int idleSeconds, int apiSeconds, int longRunSeconds) {
        this.report = report;
        this.jar = jar;
        this.classes = classes;
        this.work = work;
        this.tree = tree;
        this.setups = setups;
        this.packagedFlags = packagedFlags;
        this.idleSeconds = idleSeconds;
        this.apiSeconds = apiSeconds;
        this.longRunSeconds = longRunSeconds;
    }

    /** Which parts run: all, or one alone (for iterating). */
    enum Part { ALL, API, SCAN, STORM, DETECT, PEERS, LONGRUN, ALERTS }

    /** The setups that get the sequential parts (API, storms, intake, alerts): the two the issue names. */
    private List<Setup> userSetups() {
        return setups.stream().filter(s -> !s.name().equals(Setup.jvmDefaults().name())).toList();
    }

    void run(Part part) throws Exception {
        Map<Setup, CollectorChild> mains = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            // The JVM defaults show what the relaunch avoids: idle CPU and resident size only.
            for (Setup s : part == Part.ALL || part == Part.SCAN ? setups : userSetups()) {
                CollectorChild c = CollectorChild.start(s, "main-" + slug(s), jar, work, tree, List.of(), true);
                open.add(c);
                mains.put(s, c);
            }
            Child idleDefault = null;
            Child idlePackaged = null;
            Map<Setup, CollectorChild> twins = new LinkedHashMap<>();
            if (part == Part.ALL || part == Part.SCAN) {
                idleDefault = Child.start("idle JVM (no flags)", List.of(), List.of("-cp", classes.toString(),
                        IdleMain.class.getName()), work.resolve("idle-jvm-default.log"));
                open.add(idleDefault);
                idlePackaged = Child.start("idle JVM (packaged flags)", packagedFlags, List.of("-cp",
                        classes.toString(), IdleMain.class.getName()), work.resolve("idle-jvm-packaged.log"));
                open.add(idlePackaged);
                for (Setup s : userSetups()) {
                    CollectorChild t = CollectorChild.start(s, "nosweep-" + slug(s), jar, work, tree,
                            List.of("--sweep", Integer.toString(NO_SWEEP)), true);
                    open.add(t);
                    twins.put(s, t);
                }
            }
            for (CollectorChild c : mains.values()) {
                System.out.println("  started " + c);
            }
            Map<Setup, String> infos = new LinkedHashMap<>();
            for (Map.Entry<Setup, CollectorChild> e : mains.entrySet()) {
                infos.put(e.getKey(), e.getValue().awaitReady());
            }
            for (CollectorChild t : twins.values()) {
                t.awaitReady();
            }
            for (Setup s : setups) {
                report.setup("| collector setup " + s.name() + " | " + s.command() + " |");
            }
            if (part == Part.ALL || part == Part.SCAN) {
                report.note(SCALE, Report.f("The packaged jar as child processes, one per JVM setup, all at once "
                        + "over the same tree: `java [flags] -jar lustre-collector.jar --allow-root -i %d -m %d -r TREE "
                        + "-t TRAPS -k TREE/kmsg` (root only because the bench runs as root here); beside each, a twin "
                        + "with `--sweep %d` (the sweep reads ~6 ost_server_uuid a scan instead of %,d), so the "
                        + "sweep's cost is the difference and the twin's CPU is everything else. First scan "
                        + "(watcher's own figure, wall): %s.", INTERVAL, MAX_TRAPS, NO_SWEEP, ScanBench.SWEPT,
                        String.join(", ", infos.entrySet().stream().map(e -> e.getKey().name() + " "
                                + Rpc.member(e.getValue(), "lastScanMillis") + " ms").toList())));
                idleCpu(mains, twins, idleDefault, idlePackaged);
                for (CollectorChild t : twins.values()) {
                    t.close();
                }
                Map<String, Long> steady = new LinkedHashMap<>();
                for (CollectorChild c : mains.values()) {
                    steady.put(c.setup.name(), memory(c, "after the idle windows (steady state)", true));
                }
                relaunchNote(mains, steady);
                explainResident(mains, idleDefault, idlePackaged);
                report.row(MEMORY, "idle JVM (sleeps; no flags / packaged flags): resident size",
                        Report.f("%.0f / %.0f MiB", idleDefault.rssKiB() / 1024.0, idlePackaged.rssKiB() / 1024.0),
                        "", "", "(baseline)", "info");
                idleDefault.close();
                idlePackaged.close();
                for (Setup s : setups) {
                    if (!userSetups().contains(s)) {
                        mains.remove(s).close(); // fewer JVMs competing for the 2 cores from here on
                    }
                }
            }
            if (part == Part.ALL || part == Part.DETECT || part == Part.ALERTS) {
                detectionAndAlerts(part, mains, open);
            }
            if (part == Part.ALL || part == Part.LONGRUN) {
                System.out.println("long run");
                new LongRun(report, SimulatedTree.open(tree), List.copyOf(mains.values())).run(longRunSeconds);
            }
            if (part == Part.ALL || part == Part.API) {
                for (Setup s : userSetups()) {
                    CollectorChild c = mains.get(s);
                    Thread.sleep(2_000); // getTraps shows a trap once its receive second has closed
                    api(c);
                    metricsScrape(c);
                    targetStates(c);
                }
            }
            if (part == Part.ALL || part == Part.STORM) {
                storm(mains);
            }
            if (part == Part.ALL || part == Part.PEERS) {
                System.out.println("intake beside rsyslog");
                IntakeBench intake = new IntakeBench(report, work);
                double rsyslog = intake.rsyslog();
                for (Setup s : userSetups()) {
                    intake.collector(mains.get(s), rsyslog);
                }
            }
            for (CollectorChild c : mains.values()) {
                memory(c, part == Part.ALL ? "peak (VmHWM) over the whole run, storms and API load included"
                        : "peak (VmHWM) over this part", false);
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static String slug(Setup s) {
        return s.name().replace(' ', '-');
    }

    /**
     * The detection table and the alert storms: for each setup a second collector with
     * {@code --kmsg none} (and {@code --alertmanager} pointed at the harness's receiver), the shell
     * scrape loop beside them.
     */
    private void detectionAndAlerts(Part part, Map<Setup, CollectorChild> mains, List<AutoCloseable> open)
            throws Exception {
        AlertBench alerts = new AlertBench(report);
        open.add(alerts);
        Map<Setup, CollectorChild> silent = new LinkedHashMap<>();
        for (Setup s : userSetups()) {
            CollectorChild c = CollectorChild.start(s, "nokmsg-" + slug(s), jar, work, tree,
                    List.of("--alertmanager", alerts.url()), false);
            open.add(c);
            silent.put(s, c);
        }
        for (CollectorChild c : silent.values()) {
            c.awaitReady();
        }
        if (part != Part.ALERTS) {
            System.out.println("detection");
            Path script = Path.of("bench/scrape-loop.sh").toAbsolutePath();
            try (Child loop = DetectionBench.startLoop(script, tree, work)) {
                Thread.sleep(3L * INTERVAL * 1000); // a first cycle fills the page cache and the loop's state
                long cpu0 = loop.cpuMillis();
                int cycles0 = DetectionBench.cycles(loop);
                List<CollectorChild> observers = new ArrayList<>();
                for (Setup s : mains.keySet()) {
                    observers.add(mains.get(s));
                    if (silent.containsKey(s)) {
                        observers.add(silent.get(s));
                    }
                }
                new DetectionBench(report, SimulatedTree.open(tree), observers, loop).run();
                DetectionBench.loopCost(report, IntakeBench.SECTION, loop, cpu0, cycles0);
            }
        }
        if (part == Part.ALL || part == Part.ALERTS) {
            System.out.println("alert storms");
            report.note(STORM, "Alerting: the same 100,000-trap storm (a fresh sequence each) into the collector of "
                    + "the setup that follows the kmsg file and has no Alertmanager, then into its twin with "
                    + "`--kmsg none --alertmanager " + alerts.url() + "` (a receiver in the harness that answers 200 "
                    + "at once and counts alerts and their \"count\" annotation), 8 clients polling getTraps(0) at "
                    + "20 calls/s each. Time to take in = from the write until getCollectorInfo counts the 100,000; "
                    + "getTraps = rows of getTraps(timestamp before the storm) 5 s after it; sender CPU = the "
                    + "lustre-alertmanager thread's (/proc task stat).");
            for (Setup s : userSetups()) {
                alerts.compare(mains.get(s), silent.get(s));
            }
        }
        for (CollectorChild c : silent.values()) {
            c.close();
        }
    }

    /**
     * Two windows back to back, every collector and idle JVM measured over the same windows: the
     * first starts as soon as they are ready, so it still pays for start-up (JIT compilation, the
     * first scans' garbage); the second is the steady state. The twins without the sweep give the
     * sweep's share.
     */
    private void idleCpu(Map<Setup, CollectorChild> mains, Map<Setup, CollectorChild> twins, Child idleDefault,
                         Child idlePackaged) throws Exception {
        String[] windows = {"first window after start-up (JIT and first scans' garbage included)",
            "the window after (steady state)"};
        CollectorChild worst = null;
        double worstPct = 0;
        for (int w = 0; w < 2; w++) {
            Map<Object, Long> c0 = new LinkedHashMap<>();
            for (CollectorChild c : mains.values()) {
                c0.put(c, c.child.cpuMillis());
            }
            for (CollectorChild c : twins.values()) {
                c0.put(c, c.child.cpuMillis());
            }
            long d0 = idleDefault.cpuMillis();
            long p0 = idlePackaged.cpuMillis();
            long w0 = System.nanoTime();
            Thread.sleep(idleSeconds * 1000L);
            long wall = (System.nanoTime() - w0) / 1_000_000L;
            long d = idleDefault.cpuMillis() - d0;
            long p = idlePackaged.cpuMillis() - p0;
            for (Map.Entry<Setup, CollectorChild> e : mains.entrySet()) {
                CollectorChild c = e.getValue();
                long used = c.child.cpuMillis() - c0.get(c);
                double pct = 100.0 * used / wall;
                boolean packagedJvm = !c.setup.flags().isEmpty() || c.setup.env().isEmpty();
                long base = packagedJvm ? p : d;
                String figure = Report.f("%sidle collector (no events), interval %d s: CPU over %d s, %s",
                        c.setup.tag(), INTERVAL, idleSeconds, windows[w]);
                report.row(SCALE, figure,
                        Report.f("%.2f%% of one core (%d ms)", pct, used),
                        Report.f("%.2f%% (%d ms): a JVM that sleeps (%s), same window", 100.0 * base / wall, base,
                                packagedJvm ? "packaged flags" : "no flags"),
                        Report.f("%.0fx", used / Math.max(10.0, base)), "<= 1% of one core",
                        Report.status(pct <= 1.0));
                CollectorChild twin = twins.get(e.getKey());
                String start = w == 0 ? "; this first window, which starts once the first scan is done, also holds "
                        + "the first sweep (a new reading for each of 100,000 targets, every line parsed), the heap "
                        + "growing to hold them (full collections) and the JIT still compiling" : "";
                if (twin == null) {
                    report.explain(figure, "the JVM's defaults (C2 compiling, G1's threads; no twin without the "
                            + "sweep here): the packaged rows show the same collector with the flags the jar relaunches "
                            + "itself with" + start);
                } else {
                    long rest = twin.child.cpuMillis() - c0.get(twin);
                    double restPct = 100.0 * rest / wall;
                    double sweepPct = pct - restPct;
                    double reads = ScanBench.SWEPT * (wall / 1000.0 / INTERVAL);
                    report.explain(figure, Report.f("the %d s sweep re-reads every OST's ost_server_uuid, %,.0f files "
                            + "a second at 100,000 OSTs: %.2f%% of a core here, %.1f us of CPU a file (open, read, "
                            + "compare, close; a C loop doing the same on this machine's tmpfs took 3.3-4.1 us, "
                            + "measured apart), so the sweep alone is above 1%%; everything else (the twin without "
                            + "the sweep) %.2f%%%s", SWEEP, ScanBench.SWEPT / (double) INTERVAL, sweepPct,
                            sweepPct / 100 * wall * 1000 / reads, restPct, start));
                    String twinFigure = Report.f("%s%s: the sweep's share (%,d ost_server_uuid a scan) per 1,000 OSTs"
                            + " / everything else (the twin with `--sweep %d`)", c.setup.tag(), w == 0
                            ? "first window" : "steady window", ScanBench.SWEPT, NO_SWEEP);
                    report.explain(twinFigure, "the scan every 5 s (the round robin's full reads of 100 targets, "
                            + "about 700 files, the snapshot and the state comparison), Tomcat's and the JVM's "
                            + "timers: the idle profile at the end shows where it goes" + start);
                    report.row(SCALE, twinFigure,
                            Report.f("%.3f%% / %.2f%% of one core", sweepPct / 100, restPct),
                            Report.f("sweep %.2f%% of one core at 100,000 OSTs", sweepPct), "",
                            "everything else <= 0.3%", Report.status(restPct <= 0.3));
                }
                if (w == 1 && pct > 1.0 && pct > worstPct && packagedJvm) {
                    worst = c;
                    worstPct = pct;
                }
            }
        }
        if (worst != null) {
            Path jfr = work.resolve("idle.jfr");
            int seconds = 30;
            worst.child.jcmd("JFR.start", "name=bench-idle", "settings=profile", "duration=" + seconds + "s",
                    "filename=" + jfr);
            Thread.sleep((seconds + 3) * 1000L);
            waitFor(jfr);
            report.profile(Profiles.summarize(Report.f("Idle collector (%s) over %d s (JFR, profile settings, all "
                    + "threads)", worst.setup.name(), seconds), jfr, t -> !t.startsWith("JFR"), 12));
        }
    }

    /**
     * Why the jar relaunches itself: the JVM defaults' resident size beside the packaged flags', and
     * what the plain command's waiting parent JVM adds.
     */
    private void relaunchNote(Map<Setup, CollectorChild> mains, Map<String, Long> steady) throws IOException {
        Long defaults = steady.get(Setup.jvmDefaults().name());
        Long packaged = steady.get("packaged");
        Long plain = steady.get(Setup.plain().name());
        CollectorChild p = mains.get(Setup.plain());
        if (defaults == null || packaged == null || plain == null || p == null) {
            return;
        }
        long parent = p.child.ownRssKiB();
        report.note(MEMORY, Report.f("The relaunch, from these figures: with the JVM's defaults (G1, C2, heap up to "
                + "1/4 of RAM) the collector held %.0f MiB after the idle windows, with the packaged flags %.0f MiB; "
                + "the plain command now runs the packaged flags in a second JVM, and the first JVM, which only waits "
                + "for it, holds %.0f MiB of its %.0f MiB. Idle CPU: section 2, the three setups side by side.",
                defaults / 1024.0, packaged / 1024.0, parent / 1024.0, plain / 1024.0));
    }

    private static String residentFigure(CollectorChild c, String when) {
        return c.setup.tag() + "collector resident size, 100,000 OSTs known, " + MAX_TRAPS + " traps stored: " + when;
    }

    /** Why each setup's resident size is what it is, from the JVMs that only sleep beside it. */
    private void explainResident(Map<Setup, CollectorChild> mains, Child idleDefault, Child idlePackaged)
            throws IOException {
        double sleeps = idlePackaged.rssKiB() / 1024.0;
        for (CollectorChild c : mains.values()) {
            String why;
            if (c.setup.equals(Setup.plain())) {
                why = Report.f("two JVMs: the first only waits for the collector's and holds %.0f MiB (a JVM that "
                        + "sleeps with no flags: %.0f MiB); the collector's JVM is the packaged row", c.child.ownRssKiB()
                        / 1024.0, idleDefault.rssKiB() / 1024.0);
            } else if (c.setup.equals(Setup.jvmDefaults())) {
                why = "G1 and C2 with a heap of up to a quarter of RAM: why the jar relaunches itself with the "
                        + "packaged flags";
            } else {
                why = Report.f("a JVM that sleeps with these flags holds %.0f MiB (libjvm, class data, metaspace, "
                        + "code); the rest is the heap the live objects need with 40-70%% of it kept free (the "
                        + "long run's heap after GC)", sleeps);
            }
            report.explain(residentFigure(c, "after the idle windows (steady state)"), why);
            report.explain(residentFigure(c, "peak (VmHWM) over the whole run, storms and API load included"),
                    "the heap grows to take storms, the API load and the first discovery (the collection keeps 40% "
                            + "free), and the serial collector gives memory back only at a full collection; " + why);
        }
    }

    private long memory(CollectorChild c, String when, boolean steady) throws IOException {
        long rss = steady ? c.child.rssKiB() : c.child.peakRssKiB();
        report.row(MEMORY, residentFigure(c, when),
                Report.f("%.0f MiB", rss / 1024.0), "", "", "<= " + RSS_TARGET_MIB + " MiB",
                Report.status(rss <= RSS_TARGET_MIB * 1024L));
        return rss;
    }

    private void api(CollectorChild c) throws Exception {
        Child collector = c.child;
        int port = c.port;
        String tag = c.setup.tag();
        List<String> baselineFlags = c.setup.flags().isEmpty() && c.setup.env().isEmpty() ? packagedFlags
                : c.setup.flags();
        byte[] trapsAnswer = Rpc.callBytes(port, "getTraps", 0);
        byte[] recordsAnswer = Rpc.callBytes(port, "getTrapRecords", 0, MAX_TRAPS);
        int rows = Rpc.call(port, "getTraps", 0).split("</array></value>").length - 2;
        Path traps = Files.write(work.resolve("answer-getTraps.xml"), trapsAnswer);
        Path records = Files.write(work.resolve("answer-getTrapRecords.xml"), recordsAnswer);
        int staticPort = freePort();
        try (Child server = Child.start("static Tomcat", baselineFlags, List.of("-cp", classes + ":" + jar,
                StaticServer.class.getName(), Integer.toString(staticPort), "/traps=" + traps, "/records=" + records),
                work.resolve("static-server.log"))) {
            waitListening(server, staticPort);
            report.note(API, Report.f("Baseline: the same embedded Tomcat 11 and connector settings (HTTP/1.1, "
                    + "unlimited keep-alive requests) in a child JVM with the flags the collector's JVM runs with, serving the "
                    + "collector's recorded answers as fixed bytes (getTraps(0): %,d bytes, about %d traps; "
                    + "getTrapRecords(0, %d): %,d bytes). Load: 8 threads, each with its own keep-alive connection, "
                    + "closed loop, in the harness JVM (on the same 2 cores). Collector and baseline alternate: "
                    + "5 s warm-up each, then 2 rounds of %d s each; figures over both rounds.",
                    trapsAnswer.length, rows, MAX_TRAPS, recordsAnswer.length, apiSeconds));
            Load.Result[] t = compare(collector, server, port, staticPort, "/traps", Rpc.body("getTraps", 0),
                    tag + "getTraps(0)");
            Load.Result[] r = compare(collector, server, port, staticPort, "/records",
                    Rpc.body("getTrapRecords", 0, MAX_TRAPS), tag + "getTrapRecords(0, 250)");
            apiBaselineP99.put(c.setup, t[0].p99Millis());
            pageRound(collector, port, tag);
            boolean profile = !c.setup.flags().isEmpty(); // one setup's profiles are enough
            if (profile && missed(t)) {
                profileApi(collector, port, "getTraps(0)", Rpc.body("getTraps", 0), "api.jfr");
            }
            if (profile && missed(r)) {
                profileApi(collector, port, "getTrapRecords(0, 250)", Rpc.body("getTrapRecords", 0, MAX_TRAPS),
                        "api-records.jfr");
            }
        }
    }

    /**
     * What an open web page costs the MDS: each round it asks getFileSystemInfo of every file
     * system, in one system.multicall; the baseline is the same asked one call at a time.
     */
    private void pageRound(Child collector, int port, String tag) throws Exception {
        List<String> names = Rpc.strings(Rpc.call(port, "getFileSystems"));
        if (names.isEmpty()) {
            throw new IllegalStateException("getFileSystems: no file system");
        }
        byte[] multi = Rpc.multicall("getFileSystemInfo", names);
        int rounds = 40;
        long[] cpu = new long[2];
        for (int pass = 0; pass < 3; pass++) { // the first pass warms both paths up and is not counted
            for (int way = 0; way < 2; way++) {
                long c0 = collector.cpuMillis();
                for (int r = 0; r < rounds; r++) {
                    if (way == 0) {
                        String a = Rpc.post(port, "system.multicall", multi);
                        if (Rpc.isFault(a) || a.contains("faultCode")) {
                            throw new IllegalStateException("page round failed: " + a.substring(0, 300));
                        }
                    } else {
                        for (String fs : names) {
                            Rpc.post(port, "getFileSystemInfo", Rpc.body("getFileSystemInfo", fs));
                        }
                    }
                }
                if (pass > 0) {
                    cpu[way] += collector.cpuMillis() - c0;
                }
            }
        }
        double multiMs = cpu[0] / (2.0 * rounds);
        double singleMs = cpu[1] / (2.0 * rounds);
        report.row(API, tag + Report.f("web page round (getFileSystemInfo of %d file systems in one system.multicall): "
                        + "collector CPU", names.size()),
                Report.f("%.1f ms a round (%.2f%% of one core at the page's 2 s interval)", multiMs, multiMs / 20),
                Report.f("%.1f ms (the same, one call each)", singleMs), Report.f("%.2fx", multiMs / singleMs),
                "(info)", "info");
    }

    /**
     * GET /metrics as Prometheus asks for it (OpenMetrics, gzip), one scrape after another: the
     * collector's CPU per scrape and the body's size. Between two scans most scrapes find every
     * file system's per-target lines already written; the first after a scan writes those of the
     * file systems the scan changed.
     */
    private void metricsScrape(CollectorChild c) throws Exception {
        Child collector = c.child;
        int port = c.port;
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .header("Accept-Encoding", "gzip").build();
        long size = 0;
        for (int i = 0; i < 5; i++) { // warm-up, not counted
            size = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body().length;
        }
        int scrapes = 60;
        long c0 = collector.cpuMillis();
        long w0 = System.nanoTime();
        for (int i = 0; i < scrapes; i++) {
            java.net.http.HttpResponse<byte[]> r = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics: HTTP " + r.statusCode());
            }
            size = r.body().length;
        }
        double cpuMs = (collector.cpuMillis() - c0) / (double) scrapes;
        double wallMs = (System.nanoTime() - w0) / 1e6 / scrapes;
        report.row(SCALE, c.setup.tag() + Report.f("GET /metrics (OpenMetrics, gzip; 200,200 per-target series): collector CPU per "
                        + "scrape, %d scrapes in a row", scrapes),
                Report.f("%.1f ms (wall %.1f ms; body %,d bytes gzip)", cpuMs, wallMs, size), "", "", "<= 50 ms",
                Report.status(cpuMs <= 50));
    }

    /**
     * The web page's target map: one system.multicall of getTargetStates over every file system,
     * as the page sends it each refresh (TargetStatesBench).
     */
    private void targetStates(CollectorChild c) throws Exception {
        List<TargetStatesBench.Result> results = TargetStatesBench.measure(
                java.net.URI.create("http://127.0.0.1:" + c.port + "/RPC2"), () -> {
                    try {
                        return c.child.cpuMillis();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, 50);
        for (TargetStatesBench.Result r : results) {
            report.row(SCALE, c.setup.tag() + Report.f("getTargetStates of all %d file systems in one multicall (the web "
                    + "page's target map), %s: answer size, collector CPU per call", r.fileSystems(), r.label()),
                    Report.f("%,d bytes; %.1f ms CPU (wall median %.1f ms, p99 %.1f ms)", r.bytes(), r.cpuMs(),
                            r.medianMs(), r.p99Ms()), "", "", "(info)", "info");
        }
    }

    private static boolean missed(Load.Result[] r) {
        return r[0].callsPerSecond() < 0.5 * r[1].callsPerSecond() || r[0].p99Millis() >= 20;
    }

    private void profileApi(Child collector, int port, String what, byte[] body, String file) throws Exception {
        Path jfr = work.resolve(file);
        collector.jcmd("JFR.start", "name=bench-api", "settings=profile", "duration=10s", "filename=" + jfr);
        try (Load load = new Load(port, "/RPC2", body, 8, 0)) {
            Thread.sleep(11_000);
        }
        Thread.sleep(2_000);
        waitFor(jfr);
        report.profile(Profiles.summarize(what + " under load, 10 s (JFR, Tomcat's request threads)", jfr,
                n -> n.startsWith("http-nio"), 12));
    }

    private final Map<Setup, Double> apiBaselineP99 = new LinkedHashMap<>();

    /** {collector, static} results, alternating rounds. */
    private Load.Result[] compare(Child collector, Child server, int port, int staticPort, String staticPath,
                                  byte[] body, String what) throws Exception {
        long collectorCpu = 0;
        long serverCpu = 0;
        try (Load a = new Load(port, "/RPC2", body, 8, 0); Load b = new Load(staticPort, staticPath, body, 8, 0)) {
            b.pause(true);
            Thread.sleep(5_000);
            a.pause(true);
            b.pause(false);
            Thread.sleep(5_000);
            b.pause(true);
            for (int round = 0; round < 2; round++) {
                for (Load l : new Load[] {a, b}) {
                    Thread.sleep(100); // let the in-flight calls of the other finish
                    Child c = l == a ? collector : server;
                    long c0 = c.cpuMillis();
                    l.record(true);
                    l.pause(false);
                    Thread.sleep(apiSeconds * 1000L);
                    l.pause(true);
                    l.record(false);
                    if (l == a) {
                        collectorCpu += c.cpuMillis() - c0;
                    } else {
                        serverCpu += c.cpuMillis() - c0;
                    }
                }
            }
            Load.Result ra = a.result();
            Load.Result rb = b.result();
            double ratio = ra.callsPerSecond() / rb.callsPerSecond();
            report.row(API, what + ": calls/s", Report.f("%,.0f", ra.callsPerSecond()),
                    Report.f("%,.0f (static answer, %,d bytes)", rb.callsPerSecond(), rb.answerBytes()),
                    Report.f("%.0f%%", 100 * ratio), ">= 50%", Report.status(ratio >= 0.5));
            report.row(API, what + ": p50 / p99 latency",
                    Report.f("%.2f / %.2f ms (max %.0f)", ra.p50Millis(), ra.p99Millis(), ra.maxMillis()),
                    Report.f("%.2f / %.2f ms", rb.p50Millis(), rb.p99Millis()),
                    Report.f("%.1fx / %.1fx", ra.p50Millis() / rb.p50Millis(), ra.p99Millis() / rb.p99Millis()),
                    "p99 < 20 ms", Report.status(ra.p99Millis() < 20));
            report.row(API, what + ": server CPU per call",
                    Report.f("%.0f us", 1000.0 * collectorCpu / ra.calls()),
                    Report.f("%.0f us", 1000.0 * serverCpu / rb.calls()),
                    Report.f("%.1fx", (collectorCpu / (double) ra.calls()) / (serverCpu / (double) rb.calls())),
                    "(info)", "info");
            if (ra.errors() + rb.errors() > 0) {
                report.note(API, what + ": errors " + ra.errors() + " (collector), " + rb.errors() + " (static)");
            }
            return new Load.Result[] {ra, rb};
        }
    }

    private void storm(Map<Setup, CollectorChild> mains) throws Exception {
        report.note(STORM, "A storm: 100,000 \"Connection to ... was lost\" lines from every OST of 100 file "
                + "systems appended to the collector's trap file in one write, while 8 clients call getTraps(0). "
                + "The window runs from the write until getCollectorInfo counts all 100,000 received, plus one "
                + "second. Closed loop = 8 clients back to back (saturates both cores with the storm); paced = "
                + "8 clients at 20 calls/s each, the way monitors poll.");
        for (Setup s : userSetups()) {
            stormRun(mains.get(s), 0, "closed loop");
            stormRun(mains.get(s), 50, "paced, 8 x 20 calls/s");
        }
    }

    private int stormSeq = 1_000_000;

    private void stormRun(CollectorChild c, long paceMillis, String what) throws Exception {
        Child collector = c.child;
        int port = c.port;
        Path trapFile = c.trapFile;
        String tag = c.setup.tag();
        double baseP99 = apiBaselineP99.getOrDefault(c.setup, Double.NaN);
        int n = 100_000;
        StringBuilder sb = new StringBuilder(n * IngestBench.LINE_BYTES);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            sb.append(IngestBench.stormLine(stormSeq++, now)).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        String info0 = Rpc.call(port, "getCollectorInfo");
        long before = Rpc.member(info0, "trapsReceived") + Rpc.member(info0, "trapsDropped");
        try (Load load = new Load(port, "/RPC2", Rpc.body("getTraps", 0), 8, paceMillis)) {
            Thread.sleep(2_000);
            long c0 = collector.cpuMillis();
            long w0 = System.nanoTime();
            load.record(true);
            int gcLines = c.pauses().size();
            Files.write(trapFile, bytes, StandardOpenOption.APPEND);
            long received = before;
            String info = "";
            while (received < before + n && System.nanoTime() - w0 < 120_000_000_000L) {
                Thread.sleep(100);
                info = Rpc.call(port, "getCollectorInfo");
                // taken in = stored, coalesced or lost to the full hand-over queue
                received = Rpc.member(info, "trapsReceived") + Rpc.member(info, "trapsDropped");
            }
            double ingest = (System.nanoTime() - w0) / 1e9;
            long cpu = collector.cpuMillis() - c0;
            Thread.sleep(1_000);
            load.record(false);
            Load.Result r = load.result();
            List<String> pauses = c.pauses();
            pauses = pauses.subList(Math.min(gcLines, pauses.size()), pauses.size());
            long dropped = Rpc.member(info, "trapsDropped") - Rpc.member(info0, "trapsDropped");
            report.explain(tag + "getTraps(0) during the storm, " + what + ": p50 / p99", Report.f("the calls wait "
                    + "for the collector's garbage collections while it takes the storm in (GC pauses in the window: "
                    + "%s; collector CPU %.1f s in %.1f s)", pauseSummary(pauses), cpu / 1000.0, ingest));
            report.row(STORM, tag + "getTraps(0) during the storm, " + what + ": p50 / p99",
                    Report.f("%.2f / %.2f ms (max %.0f; %,d calls, %,.0f/s)", r.p50Millis(), r.p99Millis(),
                            r.maxMillis(), r.calls(), r.callsPerSecond()),
                    paceMillis == 0 ? Report.f("p99 %.2f ms without storm (section 4)", baseP99) : "",
                    paceMillis == 0 ? Report.f("%.1fx", r.p99Millis() / baseP99) : "", "p99 < 50 ms",
                    Report.status(r.p99Millis() < 50));
            report.row(STORM, tag + "storm (" + what + "): 100,000 traps taken in by the collector",
                    Report.f("%.1f s, collector CPU %.1f s (API included), %,d lost to the full queue; "
                            + "GC pauses in the window: %s", ingest, cpu / 1000.0, dropped, pauseSummary(pauses)),
                    "", "", "(info)", "info");
            if (received < before + n) {
                report.note(STORM, "the collector counted only " + (received - before) + " of " + n + " in 120 s");
            }
            if (dropped > 0) {
                report.note(STORM, Report.f("%s: %,d of the 100,000 storm traps were lost to the full 4,096-slot "
                        + "hand-over queue (counted in getCollectorInfo's trapsDropped): the trap-file follower "
                        + "parsed the storm faster than the watcher thread, the store's only writer, took it in "
                        + "(the watcher drains 10,000 per cycle and also runs the scans, which take seconds at "
                        + "100,000 OSTs). In section 1 the same source, queue and store with no scans lost none.",
                        what, dropped));
            }
        }
        Thread.sleep(4_000); // let the aggregates publish before the next run
    }

    /** "3 (young 2, full 1), longest 48 ms" from -Xlog:gc lines ending in "12.345ms". */
    static String pauseSummary(List<String> pauses) {
        int full = 0;
        double longest = 0;
        for (String l : pauses) {
            if (l.contains("Pause Full")) {
                full++;
            }
            int ms = l.lastIndexOf("ms");
            int sp = l.lastIndexOf(' ', ms);
            if (ms > sp && sp >= 0) {
                try {
                    longest = Math.max(longest, Double.parseDouble(l.substring(sp + 1, ms)));
                } catch (NumberFormatException e) {
                    // not a pause line after all
                }
            }
        }
        return Report.f("%d (young %d, full %d), longest %.0f ms", pauses.size(), pauses.size() - full, full, longest);
    }

    private static void waitListening(Child server, int port) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!server.alive()) {
                throw new IllegalStateException(server + " exited");
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(server + " not listening in 60 s");
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
