package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.lustre.collector.sim.SimulatedTree;

/**
 * The benchmark suite: runs every section and writes BENCHMARKS.md. Started by
 * {@code bash bench/run.sh}, never by the test run.
 *
 * <pre>
<<<<<<< HEAD
 * Bench [--out FILE] [--work DIR] [--tree DIR] [--jar FILE] [--classes DIR] [--quick] [--only api]
=======
 * Bench [--out FILE] [--work DIR] [--tree DIR] [--jar FILE] [--classes DIR] [--quick] [--only scan]
>>>>>>> wt-scan
 * </pre>
 * {@code --tree DIR} reuses a simulated 100,000-OST tree (else one is written under the work
 * directory and removed at the end); {@code --quick} shortens every window (a smoke run, not
 * figures to commit). The collector's JVM flags come from the system property
<<<<<<< HEAD
 * {@code bench.collector.flags} (space-separated), default {@link #COLLECTOR_FLAGS}. {@code --only api}
 * runs section 3 alone, against a collector over a small tree (10 file systems, 1,000 OSTs): the
 * API answers come from the trap store, not the tree, so this is for iterating on the API, not
 * figures to commit.
=======
 * {@code bench.collector.flags} (space-separated), default {@link #COLLECTOR_FLAGS}.
 * {@code --only scan} runs section 2 alone (the scan in the harness, then the packaged collector's
 * idle CPU, resident size and OST-down time; no ingest, API or storm): a report to compare scan
 * work with, not a BENCHMARKS.md to commit.
>>>>>>> wt-scan
 */
public final class Bench {
    /**
     * The JVM flags of the packaged start (systemd unit, init script), used for every child JVM.
     * The free-ratio pair keeps 40-70% of the heap free after a collection: with 10-30% the old
     * generation of the 100,000-OST state (~60 MiB live) filled at every scan, and each scan paid a
     * full collection of 60-160 ms, which is what API calls waited on during storms.
     */
    static final String COLLECTOR_FLAGS = "-Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:MaxMetaspaceSize=64m "
            + "-XX:ReservedCodeCacheSize=32m -Xss512k -XX:+ExitOnOutOfMemoryError";

    /** What {@code --only} may name: one part run alone, for iterating (not for a BENCHMARKS.md to commit). */
    private static final List<String> ONLY = List.of("ingest", "scan", "api", "storm");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("BENCHMARKS.md");
        Path work = Path.of("/tmp/lustre-collector-bench");
        Path tree = null;
        Path jar = Path.of("target/lustre-collector.jar");
        Path classes = Path.of("target/test-classes");
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--tree" -> tree = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--classes" -> classes = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> {
                    only = args[++i];
                    if (!ONLY.contains(only)) {
                        System.err.println("--only takes one of " + ONLY + ", not " + only);
                        System.exit(2);
                    }
                }
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<String> flags = Arrays.asList(System.getProperty("bench.collector.flags", COLLECTOR_FLAGS).trim()
                .split("\\s+"));
        Files.createDirectories(work);
        Report report = new Report();
        if ("api".equals(only)) {
            runApiOnly(report, work, jar, classes, flags, quick, out);
            return;
        }
        CollectorBench.Part part = only == null ? CollectorBench.Part.ALL
                : "scan".equals(only) ? CollectorBench.Part.SCAN : CollectorBench.Part.STORM;
        for (String s : List.of(IngestBench.SECTION, ScanBench.SECTION, CollectorBench.API, CollectorBench.MEMORY,
                CollectorBench.STORM)) {
            report.section(s);
        }
        report.setup("| work directory | `" + work + "` (JFR recordings and child logs stay there) |");

        if (only == null || "ingest".equals(only)) {
            System.out.println("1. ingest");
            new IngestBench(report, work, quick ? 100_000 : 500_000, quick ? 2 : 5).run();
            deleteQuietly(work.resolve("ingest-storm.txt"));
            deleteQuietly(work.resolve("ingest-distinct.txt"));
            if ("ingest".equals(only)) {
                report.write(out, flags);
                System.out.println("wrote " + out.toAbsolutePath());
                return;
            }
        }

        boolean ownTree = tree == null;
        if (ownTree) {
            tree = treeLocation(work);
            deleteTree(tree);
            System.out.println("2. writing the simulated tree (100 file systems, 100,000 OSTs) in " + tree);
            long t0 = System.nanoTime();
            SimulatedTree sim = SimulatedTree.create(tree, 100, 100_000, "2.15");
            report.setup(Report.f("| simulated tree | 100 file systems x 1,000 OSTs (100,000), layout 2.15, "
                    + "%,d files written in %.0f s under %s, removed at the end |", sim.filesWritten(),
                    (System.nanoTime() - t0) / 1e9, tree));
        } else {
            report.setup("| simulated tree | reused from " + tree + " |");
        }
        try {
            if (part != CollectorBench.Part.STORM) {
                System.out.println("2. scan CPU in the harness");
                new ScanBench(report, tree, work).run(part == CollectorBench.Part.ALL && !quick, true);
            }
            System.out.println("the packaged collector as a child process: " + part);
            new CollectorBench(report, jar.toAbsolutePath(), classes.toAbsolutePath(), work, tree, flags,
                    quick ? 15 : 60, quick ? 3 : 8).run(part);
        } finally {
            if (ownTree) {
                System.out.println("removing " + tree);
                deleteTree(tree);
            }
            report.write(out, flags);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    /** Section 3 alone, over its own small tree. */
    private static void runApiOnly(Report report, Path work, Path jar, Path classes, List<String> flags,
                                   boolean quick, Path out) throws Exception {
        report.section(CollectorBench.API);
        Path tree = work.resolve("small-tree");
        deleteTree(tree);
        SimulatedTree.create(tree, 10, 1_000, "2.15");
        report.setup("| simulated tree | 10 file systems x 100 OSTs (--only api) |");
        try {
            new CollectorBench(report, jar.toAbsolutePath(), classes.toAbsolutePath(), work, tree, flags,
                    quick ? 15 : 60, quick ? 3 : 8).run(CollectorBench.Part.API);
        } finally {
            deleteTree(tree);
            report.write(out, flags);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left in the work directory
        }
    }

    /**
     * Where the harness writes its tree: tmpfs (/dev/shm) when it has 8 GiB free, since 1.2 million
     * small files are written and removed there in seconds without disk I/O in the measurements;
     * else the work directory.
     */
    static Path treeLocation(Path work) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() >= 8L << 30) {
            return shm.resolve("lustre-collector-bench-tree");
        }
        return work.resolve("tree");
    }

    /** rm -rf: a walk in Java over 1.2 million files takes minutes, rm a fraction of that. */
    static void deleteTree(Path dir) throws IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return;
        }
        Process p = new ProcessBuilder("rm", "-rf", "--", dir.toString()).inheritIO().start();
        if (p.waitFor() != 0 || Files.exists(dir)) {
            throw new IOException("could not remove " + dir);
        }
    }
}
