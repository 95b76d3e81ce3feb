package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.lustre.collector.sim.SimulatedTree;

/**
 * Two builds of the collector side by side, to decide whether a hand-tuned path earns its lines:
 * jar A and jar B (say the commit before a simplification and the one after) run at the same time
 * as child processes with the collector's flags, over the same simulated tree and the same 300
 * distinct traps, and every figure is taken from both in the same window or in alternating
 * rounds, so the noise of the shared machine falls on both alike. Figures are the ones users
 * feel: idle CPU (the scans; the tree is written under the work directory, 20,000 OSTs by default), resident size, API calls/s, p99 and CPU per call of
 * getTraps(0) and getTrapRecords(0, 250) under 8 keep-alive clients, and the CPU a 100,000-trap
 * storm costs (parse, storm keys, store). Writes a markdown table.
 * <p>
 * What each kept trick buys is now measured in every benchmark run, in process and side by side
 * with its plain version: {@link TricksBench} (section 8 of BENCHMARKS.md, {@code bash bench/run.sh
 * --only tricks}). This class stays for the jar-against-jar check: a whole simplification, old
 * commit against new, as users run it (a child process each, over HTTP).
 * <pre>
 * mvn -B -q -o -Pbench -DskipTests -DskipITs package
 * java -cp target/test-classes:target/lustre-collector.jar org.lustre.collector.bench.TrickBench \
 *     --a tuned=/tmp/tuned.jar --b plain=target/lustre-collector.jar [--work DIR] [--fs 100] [--osts 20000] \
 *     [--out FILE]
 * </pre>
 */
public final class TrickBench {
    private static final int MAX_TRAPS = 250;
    private static final int INTERVAL = 5;
    private static final int STORM = 100_000;
    private static final int API_ROUNDS = 3;
    private static final long API_MILLIS = 8_000;

    private record Side(String name, Path jar, Child child, int port, Path trapFile) {
    }

    private final List<String> rows = new ArrayList<>();
    private final List<String> flags = Arrays.asList(System.getProperty("bench.collector.flags", Bench.COLLECTOR_FLAGS)
            .trim().split("\\s+"));
    private int stormSeq = 1_000_000;

    public static void main(String[] args) throws Exception {
        String a = null;
        String b = null;
        Path work = Path.of("/tmp/lustre-collector-trickbench");
        Path out = null;
        int fileSystems = 100;
        int osts = 20_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--a" -> a = args[++i];
                case "--b" -> b = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--fs" -> fileSystems = Integer.parseInt(args[++i]);
                case "--osts" -> osts = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (a == null || b == null || !a.contains("=") || !b.contains("=")) {
            throw new IllegalArgumentException("want --a NAME=JAR --b NAME=JAR");
        }
        Files.createDirectories(work);
        Path tree = work.resolve("tree");
        TrickBench bench = new TrickBench();
        try {
            Bench.deleteTree(tree);
            System.out.println("writing a tree of " + fileSystems + " file systems, " + osts + " OSTs at " + tree);
            SimulatedTree.create(tree, fileSystems, osts, "2.15");
            bench.row("(the tree: " + fileSystems + " file systems, " + osts + " OSTs)", 0, 0, "%.0f");
            bench.run(work, tree, a, b);
        } finally {
            Bench.deleteTree(tree);
            String text = "| figure | " + a.split("=")[0] + " | " + b.split("=")[0] + " | ratio |\n|---|---|---|---|\n"
                    + String.join("\n", bench.rows) + "\n";
            System.out.println(text);
            if (out != null) {
                Files.writeString(out, text);
            }
        }
    }

    private void run(Path work, Path tree, String a, String b) throws Exception {
        Side sa = null;
        Side sb = null;
        try {
            sa = start(work, tree, a);
            sb = start(work, tree, b);
            waitReady(sa);
            waitReady(sb);
            Thread.sleep(20_000); // the first scans' garbage and JIT compilation out of the way
            idle(sa, sb);
            api(sa, sb, "getTraps(0)", Rpc.body("getTraps", 0));
            api(sa, sb, "getTrapRecords(0, 250)", Rpc.body("getTrapRecords", 0, MAX_TRAPS));
            for (int round = 0; round < 2; round++) {
                storm(sa, sb, round);
            }
            row("resident size, peak (VmHWM) over the run", sa.child().peakRssKiB() / 1024.0,
                    sb.child().peakRssKiB() / 1024.0, "%.0f MiB");
        } finally {
            if (sa != null) {
                sa.child().close();
            }
            if (sb != null) {
                sb.child().close();
            }
        }
    }

    private Side start(Path work, Path tree, String spec) throws IOException {
        String name = spec.substring(0, spec.indexOf('='));
        Path jar = Path.of(spec.substring(spec.indexOf('=') + 1)).toAbsolutePath();
        Path traps = IngestBench.writeFile(work.resolve("traps-" + name + ".log"), 300, IngestBench::distinctLine);
        Path config = Files.writeString(work.resolve("empty.conf"), "");
        int port = CollectorBench.freePort();
        List<String> args = List.of("-jar", jar.toString(), "-f", config.toString(), "--allow-root",
                "-p", Integer.toString(port), "-i", Integer.toString(INTERVAL), "-m", Integer.toString(MAX_TRAPS),
                "-r", tree.toString(), "-t", traps.toString(), "-k", "none");
        Child c = Child.start(name, flags, args, work.resolve("collector-" + name + ".log"));
        System.out.println("  started " + c);
        return new Side(name, jar, c, port, traps);
    }

    private static void waitReady(Side s) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!s.child().alive()) {
                throw new IllegalStateException(s.name() + " exited; see " + s.child().log());
            }
            try {
                String info = Rpc.call(s.port(), "getCollectorInfo");
                Long scan = Rpc.member(info, "lastScan");
                Long received = Rpc.member(info, "trapsReceived");
                if (scan != null && scan > 0 && received != null && received >= 300) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(s.name() + " not ready in 180 s");
    }

    /** Both idle in the same 60 s window: the scans every 5 s are all they do. */
    private void idle(Side a, Side b) throws Exception {
        long ca = a.child().cpuMillis();
        long cb = b.child().cpuMillis();
        Thread.sleep(60_000);
        double pa = (a.child().cpuMillis() - ca) / 600.0;
        double pb = (b.child().cpuMillis() - cb) / 600.0;
        row("idle CPU over the same 60 s, interval 5 s (scans only)", pa, pb, "%.2f%% of one core");
        row("resident size after the idle window (VmRSS)", a.child().rssKiB() / 1024.0, b.child().rssKiB() / 1024.0,
                "%.0f MiB");
    }

    /** 8 closed-loop clients on each, alternating rounds: calls/s, p99 and CPU per call. */
    private void api(Side a, Side b, String what, byte[] body) throws Exception {
        long[] cpu = new long[2];
        try (Load la = new Load(a.port(), "/RPC2", body, 8, 0); Load lb = new Load(b.port(), "/RPC2", body, 8, 0)) {
            Load[] loads = {la, lb};
            Side[] sides = {a, b};
            lb.pause(true);
            Thread.sleep(5_000);
            la.pause(true);
            lb.pause(false);
            Thread.sleep(5_000);
            lb.pause(true);
            for (int round = 0; round < API_ROUNDS; round++) {
                for (int i = 0; i < 2; i++) {
                    Thread.sleep(100);
                    long c0 = sides[i].child().cpuMillis();
                    loads[i].record(true);
                    loads[i].pause(false);
                    Thread.sleep(API_MILLIS);
                    loads[i].pause(true);
                    loads[i].record(false);
                    cpu[i] += sides[i].child().cpuMillis() - c0;
                }
            }
            Load.Result ra = la.result();
            Load.Result rb = lb.result();
            row(what + ": calls/s", ra.callsPerSecond(), rb.callsPerSecond(), "%,.0f");
            row(what + ": p99 latency", ra.p99Millis(), rb.p99Millis(), "%.2f ms");
            row(what + ": collector CPU per call", 1000.0 * cpu[0] / ra.calls(), 1000.0 * cpu[1] / rb.calls(),
                    "%.0f us");
            row(what + ": answer bytes", ra.answerBytes(), rb.answerBytes(), "%,.0f");
        }
    }

    /** 100,000 "connection lost" lines appended to each one's trap file in turn: CPU until all are counted. */
    private void storm(Side a, Side b, int round) throws Exception {
        double[] cpu = new double[2];
        Side[] sides = round % 2 == 0 ? new Side[] {a, b} : new Side[] {b, a};
        for (Side s : sides) {
            StringBuilder sb = new StringBuilder(STORM * IngestBench.LINE_BYTES);
            long now = System.currentTimeMillis();
            for (int i = 0; i < STORM; i++) {
                sb.append(IngestBench.stormLine(stormSeq++, now)).append('\n');
            }
            String info0 = Rpc.call(s.port(), "getCollectorInfo");
            long before = Rpc.member(info0, "trapsReceived") + Rpc.member(info0, "trapsDropped");
            long c0 = s.child().cpuMillis();
            Files.write(s.trapFile(), sb.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            long received = before;
            long t0 = System.nanoTime();
            while (received < before + STORM && System.nanoTime() - t0 < 120_000_000_000L) {
                Thread.sleep(50);
                String info = Rpc.call(s.port(), "getCollectorInfo");
                received = Rpc.member(info, "trapsReceived") + Rpc.member(info, "trapsDropped");
            }
            cpu[s == a ? 0 : 1] = s.child().cpuMillis() - c0;
            Thread.sleep(4_000); // the aggregates publish
        }
        row("storm of 100,000 traps, round " + (round + 1) + ": collector CPU until all counted", cpu[0], cpu[1],
                "%.0f ms");
    }

    private void row(String figure, double a, double b, String format) {
        rows.add("| " + figure + " | " + String.format(format, a) + " | " + String.format(format, b) + " | "
                + String.format("%.2f", b / a) + " |");
        System.out.println("  " + rows.get(rows.size() - 1));
    }
}
