package org.lustre.collector.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.service.Collector;

/**
 * Item 2 in the harness JVM: the CPU of one scan of the 100,000-OST tree by the collector's own
 * LustreScanner with the default sweep (thread CPU time), against reading the same files with
 * Files.readAllBytes and nothing else. Layout 2.15 (the simulator's default).
 */
final class ScanBench {
    static final String SECTION = "2. Scale (100 file systems, 100,000 OSTs)";
    /** The collector's own per-scan budget of OSTs whose OSP files are read. */
    static final int BUDGET = Collector.OST_DETAIL_BUDGET;
    /** Scans per sweep with the defaults (sweep 60 s, interval 5 s): 12. */
    static final int SWEEP_SCANS = LustreScanner.sweepScans(CollectorBench.SWEEP, CollectorBench.INTERVAL);
    /** OSTs whose ost_server_uuid one scan's sweep reads: ceil(100,000 / 12) = 8,334. */
    static final int SWEPT = (100_000 + SWEEP_SCANS - 1) / SWEEP_SCANS;
    private static final String[] OSP_ATTRS = {"kbytestotal", "kbytesfree", "kbytesavail", "filestotal",
        "filesfree", "active"};

    private final Report report;
    private final Path root;
    private final Path work;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    ScanBench(Report report, Path root, Path work) {
        this.report = report;
        this.root = root;
        this.work = work;
    }

    /**
     * @param fullRound also one scan that reads every OST's files
     * @param profile   record 8 more scans with JFR and add the summary to the report
     */
    void run(boolean fullRound, boolean profile) throws Exception {
        FileLustreTree tree = new FileLustreTree(root);
        LustreScanner scanner = new LustreScanner(tree, BUDGET, SWEEP_SCANS);
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        LustreSnapshot first = scanner.scan(System.currentTimeMillis());
        long firstCpu = threads.getCurrentThreadCpuTime() - c0;
        long firstWall = System.nanoTime() - w0;
        if (first.nodes().size() < 100_000) {
            throw new IllegalStateException("scan found " + first.nodes().size() + " nodes, want 100,100");
        }
        long[] cpu = new long[8];
        long[] wall = new long[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            c0 = threads.getCurrentThreadCpuTime();
            w0 = System.nanoTime();
            scanner.scan(System.currentTimeMillis());
            cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            wall[i] = System.nanoTime() - w0;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        if (profile) {
            // Where a scan's CPU goes (the idle collector is made of scans): 8 more scans under JFR.
            Path jfr = work.resolve("scan.jfr");
            try (Recording rec = new Recording(Configuration.getConfiguration("profile"))) {
                rec.start();
                for (int i = 0; i < 8; i++) {
                    scanner.scan(System.currentTimeMillis());
                }
                rec.stop();
                rec.dump(jfr);
            }
            String me = Thread.currentThread().getName();
            report.profile(Profiles.summarize("One scan of the 100,000-OST tree, 8 scans in the harness JVM "
                    + "(LustreScanner.scan on the harness main thread)", jfr, me::equals, 12));
        }
        List<Path> files = scanFiles(BUDGET);
        long base = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            base = Math.min(base, readAll(files));
        }
        long median = cpu[cpu.length / 2];
        report.row(SECTION, Report.f("one scan (every target_obd + OSP files of %,d OSTs + the sweep's ost_server_uuid "
                + "of %,d): CPU, median of 8", BUDGET, SWEPT),
                Report.f("%.0f ms (wall %.0f ms)", median / 1e6, wall[wall.length / 2] / 1e6),
                Report.f("%.0f ms (readAllBytes of the same %,d files)", base / 1e6, files.size()),
                Report.f("%.1fx", (double) median / base), "(info)", "info");
        report.row(SECTION, "first scan after start: CPU", Report.f("%.0f ms (wall %.0f ms)", firstCpu / 1e6,
                firstWall / 1e6), "", "", "(info)", "info");

        if (fullRound) {
            LustreScanner all = new LustreScanner(tree, 100_000, 0);
            c0 = threads.getCurrentThreadCpuTime();
            w0 = System.nanoTime();
            all.scan(System.currentTimeMillis());
            long fullCpu = threads.getCurrentThreadCpuTime() - c0;
            long fullWall = System.nanoTime() - w0;
            List<Path> allFiles = scanFiles(100_000);
            long fullBase = readAll(allFiles);
            report.row(SECTION, Report.f("full scan (OSP files of all 100,000 OSTs in one scan; the collector spreads "
                    + "this over %,d scans): CPU", (100_000 + BUDGET - 1) / BUDGET), Report.f("%.1f s (wall %.1f s)", fullCpu / 1e9, fullWall / 1e9),
                    Report.f("%.1f s (readAllBytes of the same %,d files)", fullBase / 1e9, allFiles.size()),
                    Report.f("%.1fx", (double) fullCpu / fullBase), "(info)", "info");
        }
    }

    /** The files one scan reads when it reads the OSP files of {@code osts} OSTs (2.15 layout). */
    private List<Path> scanFiles(int osts) throws IOException {
        List<Path> out = new ArrayList<>();
        List<String> lods;
        try (Stream<Path> s = Files.list(root.resolve("proc/fs/lustre/lod"))) {
            lods = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String lod : lods) {
            out.add(root.resolve("proc/fs/lustre/lod/" + lod + "/target_obd"));
            out.add(root.resolve("sys/fs/lustre/lod/" + lod + "/kbytestotal"));
            out.add(root.resolve("sys/fs/lustre/lod/" + lod + "/kbytesfree"));
        }
        out.add(root.resolve("sys/fs/lustre/health_check"));
        List<String> osps;
        try (Stream<Path> s = Files.list(root.resolve("sys/fs/lustre/osp"))) {
            osps = s.map(p -> p.getFileName().toString()).sorted().limit(osts).toList();
        }
        for (String osp : osps) {
            for (String a : OSP_ATTRS) {
                out.add(root.resolve("sys/fs/lustre/osp/" + osp + "/" + a));
            }
            out.add(root.resolve("sys/kernel/debug/lustre/osp/" + osp + "/ost_server_uuid"));
        }
        if (osts < 100_000) {
            // The sweep's share: one ost_server_uuid for each of SWEPT OSTs.
            List<String> swept;
            try (Stream<Path> s = Files.list(root.resolve("sys/kernel/debug/lustre/osp"))) {
                swept = s.map(p -> p.getFileName().toString()).sorted().limit(SWEPT).toList();
            }
            for (String osp : swept) {
                out.add(root.resolve("sys/kernel/debug/lustre/osp/" + osp + "/ost_server_uuid"));
            }
        }
        return out;
    }

    /** Thread CPU nanoseconds to read every file whole. */
    private long readAll(List<Path> files) throws IOException {
        long c0 = threads.getCurrentThreadCpuTime();
        long bytes = 0;
        for (Path p : files) {
            try {
                bytes += Files.readAllBytes(p).length;
            } catch (NoSuchFileException e) {
                // health_check may be absent
            }
        }
        long took = threads.getCurrentThreadCpuTime() - c0;
        if (bytes == 0) {
            throw new IllegalStateException("read nothing");
        }
        return took;
    }
}
