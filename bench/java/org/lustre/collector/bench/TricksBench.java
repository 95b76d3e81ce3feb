package org.lustre.collector.bench;

import static org.lustre.collector.bench.Report.f;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.FileSystemState;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.rpc.AnswerTricks;
import org.lustre.collector.service.Collector;
import org.lustre.collector.source.SourceParseException;
import org.lustre.collector.source.TrapLineParser;
import org.lustre.collector.trap.StormKeyTrick;
import org.lustre.collector.trap.StormPolicy;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * "Kept tricks: what each buys": every hand-tuned path the collector keeps, measured in one run
 * against the plain way of doing the same thing, written in the bench sources
 * ({@link StormKeyTrick}, {@link AnswerTricks}, {@link #plainNodes}). A trick stays only while its
 * row shows it buys users 1.2x at least; else the plain version should win. The jar-against-jar
 * check of a simplification stays {@link TrickBench}.
 * <p>
 * The figures are taken in one child JVM started with the packaged flags (C1 only, Serial GC, a
 * 192 MiB heap), since the JIT and collector decide what a regex or a copy costs the collector.
 * Cost is the measuring thread's CPU time plus the time spent in garbage collection (Serial GC
 * collects on another thread), and bytes allocated by the thread; each trick's sides run in
 * rounds whose order rotates, and each figure is the median of its rounds, so the noise of the
 * shared machine falls on all sides alike. Where the trick is one step of what users wait for (a
 * storm, an API call) the whole is measured with the trick, and the plain whole is that less the
 * trick's step plus the plain step, both measured in the same rounds.
 */
final class TricksBench {
    static final String SECTION = "8. Kept tricks: what each buys";
    private static final String TARGET = "ratio >= 1.2x, else make it plain";
    private static final double ENOUGH = 1.2;
    /**
     * NodeIndex's step is nearly free, so its ratio says little: it must also save a twentieth of
     * the idle target (1% of a core) at the default interval.
     */
    private static final double MIN_CORE_SHARE = 0.05;
    private static final String NODE_TARGET = "ratio >= 1.2x and saves >= 0.05% of a core, else make it plain";
    private static final int STORM = 100_000;
    /** The storm keys are timed over 1/SLICE of the storm. */
    private static final int SLICE = 5;
    private static final int MAX_TRAPS = IngestBench.MAX_TRAPS;
    private static final int FILE_SYSTEMS = 100;
    private static final int OSTS_PER_FS = 1_000;
    private static final String ROW = "ROW\t";
    private static final String NOTE = "NOTE\t";
    private static final String DONE = "DONE";

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One side's median cost of one operation: CPU nanoseconds (thread + GC) and bytes allocated. */
    record Cost(double nanos, double bytes) {
        Cost times(int n) {
            return new Cost(nanos * n, bytes * n);
        }

        /** This cost less {@code step} plus {@code instead}: the whole with another step. */
        Cost replacing(Cost step, Cost instead) {
            return new Cost(nanos - step.nanos + instead.nanos, bytes - step.bytes + instead.bytes);
        }
    }

    private final int rounds;
    private final int calls;
    private int sink;

    private TricksBench(boolean quick) {
        rounds = quick ? 3 : 5;
        calls = quick ? 100 : 300;
    }

    /** Runs the part in a child JVM with {@code flags} and adds its rows to the report. */
    static void run(Report report, Path work, List<String> flags, boolean quick) throws Exception {
        Path log = work.resolve("tricks.log");
        List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
                TricksBench.class.getName()));
        if (quick) {
            args.add("--quick");
        }
        System.out.println("  in a child JVM with the packaged flags; its log: " + log);
        long t0 = System.nanoTime();
        try (Child child = Child.start("tricks", flags, args, log)) {
            while (child.alive()) {
                if (System.nanoTime() - t0 > 300_000_000_000L) {
                    throw new IllegalStateException("the tricks part took over 300 s; see " + log);
                }
                Thread.sleep(200);
            }
        }
        List<String> lines = Files.readAllLines(log);
        if (!lines.contains(DONE)) {
            throw new IllegalStateException("the tricks part failed; see " + log);
        }
        for (String line : lines) {
            if (line.startsWith(ROW)) {
                String[] f = line.substring(ROW.length()).split("\t", -1);
                report.row(SECTION, f[0], f[1], f[2], f[3], f[4], f[5]);
            } else if (line.startsWith(NOTE)) {
                report.note(SECTION, line.substring(NOTE.length()));
            }
        }
        report.note(SECTION, f("Measured in one child JVM with the packaged flags, in %.0f s. Cost is CPU: the "
                + "measuring thread's plus garbage collection; garbage is the bytes that thread allocated. Each "
                + "figure is the median of %d rounds in which the sides take turns going first (the storm keys: "
                + "timed over %,d of the storm's traps, times %d). \"whole\": the whole measured with the trick; "
                + "the plain whole is that less the trick's step plus the plain step, measured in the same rounds. "
                + "An API call's whole is the endpoint's work only: HTTP and the servlet container add the same to "
                + "both sides (section 4's server CPU per call), so over HTTP those ratios are lower.",
                (System.nanoTime() - t0) / 1e9, quick ? 3 : 5, STORM / SLICE, SLICE));
    }

    /** The child: measures every trick and prints the rows for {@link #run}. */
    public static void main(String[] args) throws Exception {
        TricksBench b = new TricksBench(Arrays.asList(args).contains("--quick"));
        long t0 = System.nanoTime();
        b.storm();
        long t1 = System.nanoTime();
        b.answers();
        long t2 = System.nanoTime();
        b.nodeIndex();
        System.out.printf("seconds: storm %.1f, answers %.1f, NodeIndex %.1f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (System.nanoTime() - t2) / 1e9);
        System.out.println(DONE);
        System.out.println("(sink " + b.sink + ")");
    }

    /** StormKey: the key and lookup of every trap of a storm, and the whole storm (parse and store). */
    private void storm() throws SourceParseException {
        List<String> lines = new ArrayList<>(STORM);
        long now = System.currentTimeMillis();
        for (int i = 0; i < STORM; i++) {
            lines.add(IngestBench.stormLine(i, now));
        }
        // The keys are timed over a fifth of the storm (the regex side takes seconds a storm) and scaled:
        // a key costs the same whatever its place in the storm (the map of kinds stays small).
        List<TrapEvent> some = new ArrayList<>(STORM / SLICE);
        for (String line : lines.subList(0, STORM / SLICE)) {
            some.add(TrapLineParser.parse(line));
        }
        if (!StormKeyTrick.sameKinds(some)) {
            throw new IllegalStateException("the plain storm key does not find the kinds StormKey finds");
        }
        Cost[] c = compare(1, () -> StormKeyTrick.keysOf(some), () -> StormKeyTrick.plainKeysOf(some), () -> {
            IngestBench.stormInto(new TrapStore(MAX_TRAPS, StormPolicy.DEFAULT, System::currentTimeMillis), lines);
            return 0;
        });
        c[0] = c[0].times(SLICE);
        c[1] = c[1].times(SLICE);
        Cost whole = c[2];
        Cost plainWhole = whole.replacing(c[0], c[1]);
        row("StormKey (trap/StormKey, hand-written masking): a storm of 100,000 traps, CPU of the whole storm "
                        + "(parse + store) / of the storm keys alone (key + lookup)",
                f("%.0f ms / %.0f ms, %s garbage", whole.nanos / 1e6, c[0].nanos / 1e6, bytes(whole.bytes)),
                f("%.0f ms / %.0f ms, %s garbage (one String of fs, category and the message masked by the regexes "
                        + "StormKeyTest checks StormKey against)", plainWhole.nanos / 1e6, c[1].nanos / 1e6,
                        bytes(plainWhole.bytes)),
                plainWhole.nanos / whole.nanos, c[1].nanos / c[0].nanos);
    }

    /** The writer, the fragment cache and the size hints, over a store of 250 distinct traps. */
    private void answers() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        Collector collector = new Collector(ConfigLoader.fromValues(Map.of("maxtraps", Integer.toString(MAX_TRAPS),
                "kmsg", "none")), clock::get);
        for (int i = 0; i < MAX_TRAPS; i++) {
            collector.store().append(TrapLineParser.parse(IngestBench.distinctLine(i, clock.get())));
        }
        clock.addAndGet(2_000); // the traps' second closed: getTraps(0) gives them all
        AnswerTricks t = new AnswerTricks(collector);
        String differs = t.differences();
        if (differs != null) {
            throw new IllegalStateException(differs);
        }
        Cost[] w = compare(calls / 2, t::writeOurs, t::writeStock);
        row("answer writer (rpc/AnswerSerializer): a getTraps(0) answer of 250 traps written from plain values "
                        + "(what each new trap's fragments and every answer without fragments pay), CPU per answer",
                f("%.0f us, %s garbage", w[0].nanos / 1e3, bytes(w[0].bytes)),
                f("%.0f us, %s garbage (Apache XML-RPC's own: DefaultXMLWriterFactory, XMLWriterImpl, same "
                        + "XmlRpcWriter and values)", w[1].nanos / 1e3, bytes(w[1].bytes)),
                w[1].nanos / w[0].nanos, Double.NaN);

        byte[] getTraps = Rpc.body("getTraps", 0);
        Cost[] g = compare(calls, t::getTrapsCached, t::getTrapsUncached, () -> t.call(getTraps));
        apiRow("answer cache (rpc/EncodedTraps, trap fragments written once): getTraps(0), 250 traps", g,
                "no cache: every fragment written each call");

        byte[] records = Rpc.body("getTrapRecords", 0, MAX_TRAPS);
        Cost[] r = compare(calls, t::recordsHinted, t::recordsDefault, () -> t.call(records));
        apiRow("size hints (rpc/XmlRpcEndpoint, answer buffer sized by the last answer, not copied): "
                + "getTrapRecords(0, 250)", r, "an 8 KiB buffer grown by doubling, copied out");
    }

    /** A row of an API trick: {trick step, plain step, whole call with the trick}. */
    private void apiRow(String figure, Cost[] c, String plain) {
        Cost whole = c[2];
        Cost plainWhole = whole.replacing(c[0], c[1]);
        row(figure + ": CPU per call, whole call in the endpoint (parse, answer, write; no HTTP) / the trick's step",
                f("%.0f us / %.0f us, %s garbage", whole.nanos / 1e3, c[0].nanos / 1e3, bytes(whole.bytes)),
                f("%.0f us / %.0f us, %s garbage (%s)", plainWhole.nanos / 1e3, c[1].nanos / 1e3,
                        bytes(plainWhole.bytes), plain),
                plainWhole.nanos / whole.nanos, c[1].nanos / c[0].nanos);
    }

    /** NodeIndex: publishing a scan's snapshot of 100,000 OSTs, and looking every node up by name. */
    private void nodeIndex() {
        Map<String, Map<String, NodeState>> byFs = new TreeMap<>();
        Map<String, FileSystemState> fileSystems = new TreeMap<>();
        for (int f = 0; f < FILE_SYSTEMS; f++) {
            String fs = f("fs%02d", f);
            Map<String, NodeState> nodes = new HashMap<>();
            for (int i = 0; i < OSTS_PER_FS; i++) {
                String name = f("%s-OST%04x", fs, i);
                nodes.put(name, new NodeState(name, fs, "OST", i, name + "_UUID", "10.0.0." + (i % 250) + "@o2ib",
                        true, "FULL", true, 1L << 30, 1L << 29, 1L << 29, 1L << 20, 1L << 19, 0L));
            }
            byFs.put(fs, Collections.unmodifiableMap(nodes));
            fileSystems.put(fs, new FileSystemState(fs, new ArrayList<>(nodes.keySet()), -1, -1));
        }
        int scans = Math.max(10, calls / 10);
        Cost[] c = compare(scans, () -> snapshot(fileSystems, byFs).nodes().size(),
                () -> plainNodes(snapshot(fileSystems, byFs)).size());
        double coreShare = 100.0 * (c[1].nanos - c[0].nanos) / (CollectorBench.INTERVAL * 1e9);
        row("NodeIndex (lustre/NodeIndex, nodes kept per file system): publishing a scan's snapshot of 100 file "
                        + "systems x 1,000 OSTs, CPU and garbage per scan",
                f("%.2f ms, %s garbage", c[0].nanos / 1e6, bytes(c[0].bytes)),
                f("%.2f ms, %s garbage (one HashMap of all 100,000 nodes, sized beforehand, built each scan): "
                        + "%.3f%% of a core more at interval %d s", c[1].nanos / 1e6, bytes(c[1].bytes), coreShare,
                        CollectorBench.INTERVAL),
                f("%.0fx", c[1].nanos / c[0].nanos), NODE_TARGET,
                c[1].nanos / c[0].nanos >= ENOUGH && coreShare >= MIN_CORE_SHARE);
        LustreSnapshot s = snapshot(fileSystems, byFs);
        Map<String, NodeState> flat = plainNodes(s);
        List<String> names = new ArrayList<>(flat.keySet());
        Cost[] l = compare(Math.max(3, calls / 100), () -> lookUp(s.nodes(), names), () -> lookUp(flat, names));
        note(f("NodeIndex trades lookups for scans: a lookup by name costs %.0f ns instead of %.0f ns (the fs name "
                + "cut from the target name, then two hash lookups). Lookups come per changed node in StateChanges, "
                + "per getNodeInfo call, and in getFileSystemInfo's notResponding, once per file system and snapshot "
                + "for every node of it: a page polling all 100 file systems makes that 100,000 lookups a snapshot, "
                + "%.1f ms more than with the plain map, against the %.1f ms a scan the index saves.",
                l[0].nanos / names.size(), l[1].nanos / names.size(), (l[0].nanos - l[1].nanos) / 1e6,
                (c[1].nanos - c[0].nanos) / 1e6));
    }

    private static LustreSnapshot snapshot(Map<String, FileSystemState> fileSystems,
                                           Map<String, Map<String, NodeState>> byFs) {
        return new LustreSnapshot(fileSystems, byFs, "healthy", "2.15", 0, 0, 0);
    }

    /** The plain way to have all nodes by name: one map of them all, built again for each snapshot. */
    static Map<String, NodeState> plainNodes(LustreSnapshot s) {
        int n = 0;
        for (Map<String, NodeState> m : s.nodesByFs().values()) {
            n += m.size();
        }
        Map<String, NodeState> all = new HashMap<>(n * 4 / 3 + 1);
        for (Map<String, NodeState> m : s.nodesByFs().values()) {
            all.putAll(m);
        }
        return Collections.unmodifiableMap(all);
    }

    private static int lookUp(Map<String, NodeState> nodes, List<String> names) {
        int found = 0;
        for (String name : names) {
            found += nodes.get(name).index();
        }
        return found;
    }

    /** {@link #compare(int, int, boolean, IntSupplier...)} over {@link #rounds} rounds after one to warm up. */
    private Cost[] compare(int ops, IntSupplier... sides) {
        return compare(rounds, ops, true, sides);
    }

    /**
     * Each side's median cost of one operation: {@code ops} operations a round, the side that
     * goes first rotating from round to round.
     */
    private Cost[] compare(int rounds, int ops, boolean warmUp, IntSupplier... sides) {
        double[][] nanos = new double[sides.length][rounds];
        double[][] bytes = new double[sides.length][rounds];
        for (int i = 0; warmUp && i < sides.length; i++) {
            time(sides[i], ops);
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < sides.length; k++) {
                int i = (r + k) % sides.length;
                long[] t = time(sides[i], ops);
                nanos[i][r] = (double) t[0] / ops;
                bytes[i][r] = (double) t[1] / ops;
            }
        }
        Cost[] out = new Cost[sides.length];
        for (int i = 0; i < sides.length; i++) {
            out[i] = new Cost(median(nanos[i]), median(bytes[i]));
        }
        return out;
    }

    /** {CPU nanoseconds of this thread and of garbage collection, bytes this thread allocated} of {@code ops} runs. */
    private long[] time(IntSupplier op, int ops) {
        long gc0 = gcMillis();
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
            sink += op.getAsInt();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - c0;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - a0;
        return new long[] {cpu + (gcMillis() - gc0) * 1_000_000L, allocated};
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A trick's row; met when {@code ratio} (plain over trick, of what users feel) reaches 1.2x. */
    private static void row(String figure, String withTrick, String plain, double ratio, double stepRatio) {
        String r = Double.isNaN(stepRatio) ? f("%.2fx", ratio) : f("%.2fx whole (step %.1fx)", ratio, stepRatio);
        row(figure, withTrick, plain, r, TARGET, ratio >= ENOUGH);
    }

    private static void row(String figure, String withTrick, String plain, String ratio, String target, boolean met) {
        System.out.println(ROW + String.join("\t", figure, withTrick, plain, ratio, target, Report.status(met)));
    }

    private static void note(String text) {
        System.out.println(NOTE + text);
    }

    private static String bytes(double b) {
        if (b >= 1 << 20) {
            return f("%.1f MB", b / (1 << 20));
        }
        return b >= 1 << 10 ? f("%.0f KB", b / (1 << 10)) : f("%.0f B", b);
    }
}
