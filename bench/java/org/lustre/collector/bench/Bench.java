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
 * Bench [--out FILE] [--work DIR] [--tree DIR] [--jar FILE] [--classes DIR] [--quick] [--only PART]
 * </pre>
 * {@code --tree DIR} reuses a simulated 100,000-OST tree (else one is written under the work
 * directory and removed at the end); {@code --quick} shortens every window (a smoke run, not
 * figures to commit). The collectors run once per {@link Setup}: the plain command (no JVM flag),
 * the packaged flags (system property {@code bench.collector.flags}, space-separated, default
 * {@link #COLLECTOR_FLAGS}) and the JVM's defaults (no relaunch). {@code --only PART} runs one part
 * alone, for iterating, not for a BENCHMARKS.md to commit: ingest (section 1), scan (section 2 and
 * the resident size), detect (section 3 and the scrape loop), longrun, api (section 4 over a small
 * tree: the API answers come from the trap store, not the tree), storm, alerts, peers (the intake
 * beside rsyslog), tricks (section 8: each kept hand-tuned path against its plain version, in a
 * child JVM with the packaged flags; no tree).
 */
public final class Bench {
    /**
     * The JVM flags of the packaged start (systemd unit, init script, and what the jar relaunches
     * itself with when given none). The free-ratio pair keeps 40-70% of the heap free after a
     * collection, with the default young generation (a third of the heap): a 16 MiB young
     * generation and 20-40% free held the 100,000-OST collector at 191 MiB resident instead of
     * ~225, but a storm then promoted into a nearly full old generation and paid full collections
     * of 160-430 ms (getTraps p99 416 ms while paced clients polled). -XX:-UsePerfData: the
     * statistics sampler was a tenth of the idle CPU.
     */
    static final String COLLECTOR_FLAGS = "-Xms32m -Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70 -XX:MaxMetaspaceSize=64m "
            + "-XX:ReservedCodeCacheSize=32m -Xss512k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError";

    /** What {@code --only} may name: one part run alone, for iterating (not for a BENCHMARKS.md to commit). */
    private static final List<String> ONLY = List.of("ingest", "scan", "detect", "longrun", "api", "storm",
            "alerts", "peers", "tricks");

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
        List<Setup> setups = List.of(Setup.plain(), Setup.packaged(flags), Setup.jvmDefaults());
        Files.createDirectories(work);
        Report report = new Report();
        int idle = quick ? 15 : 60;
        int api = quick ? 3 : 8;
        int longRun = quick ? 30 : LongRun.SECONDS;
        if ("api".equals(only)) {
            runApiOnly(report, work, jar, classes, setups, flags, idle, api, longRun, out);
            return;
        }
        if ("tricks".equals(only)) {
            report.section(TricksBench.SECTION);
            System.out.println("8. kept tricks");
            TricksBench.run(report, work, flags, quick);
            report.write(out, flags);
            System.out.println("wrote " + out.toAbsolutePath());
            return;
        }
        for (String s : List.of(IngestBench.SECTION, ScanBench.SECTION, DetectionBench.SECTION, CollectorBench.API,
                CollectorBench.MEMORY, CollectorBench.STORM, IntakeBench.SECTION, TricksBench.SECTION)) {
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
            System.out.println("8. kept tricks");
            TricksBench.run(report, work, flags, quick);
        }
        CollectorBench.Part part = only == null ? CollectorBench.Part.ALL
                : CollectorBench.Part.valueOf(only.toUpperCase(java.util.Locale.ROOT));

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
            if (part == CollectorBench.Part.ALL || part == CollectorBench.Part.SCAN) {
                System.out.println("2. scan CPU in the harness");
                new ScanBench(report, tree, work).run(part == CollectorBench.Part.ALL && !quick, true);
            }
            System.out.println("the packaged collector as child processes: " + part);
            new CollectorBench(report, jar.toAbsolutePath(), classes.toAbsolutePath(), work, tree, setups, flags,
                    idle, api, longRun).run(part);
        } finally {
            if (ownTree) {
                System.out.println("removing " + tree);
                deleteTree(tree);
            }
            report.write(out, flags);
            System.out.println("wrote " + out.toAbsolutePath());
        }
    }

    /** Section 4 alone, over its own small tree. */
    private static void runApiOnly(Report report, Path work, Path jar, Path classes, List<Setup> setups,
                                   List<String> flags, int idle, int api, int longRun, Path out) throws Exception {
        report.section(CollectorBench.API);
        Path tree = work.resolve("small-tree");
        deleteTree(tree);
        SimulatedTree.create(tree, 10, 1_000, "2.15");
        report.setup("| simulated tree | 10 file systems x 100 OSTs (--only api) |");
        try {
            new CollectorBench(report, jar.toAbsolutePath(), classes.toAbsolutePath(), work, tree, setups, flags,
                    idle, api, longRun).run(CollectorBench.Part.API);
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
     * Where the harness writes its tree: tmpfs (/dev/shm) when it has 8 GiB and 1.3 million inodes free, since 1.2 million
     * small files are written and removed there in seconds without disk I/O in the measurements;
     * else the work directory.
     */
    static Path treeLocation(Path work) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() >= 8L << 30
                && freeInodes(shm) >= 1_300_000) {
            return shm.resolve("lustre-collector-bench-tree");
        }
        return work.resolve("tree");
    }

    /** Free inodes of a file system (stat -f), 0 when unknown: 1.2 million files need as many. */
    static long freeInodes(Path dir) {
        try {
            Process p = new ProcessBuilder("stat", "-f", "-c", "%d", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
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
