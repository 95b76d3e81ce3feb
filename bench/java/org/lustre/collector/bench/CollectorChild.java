package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lustre.collector.sim.SimulatedTree;

/**
 * One packaged collector as a child process over the simulated tree, started the way a {@link Setup}
 * says, with its own port and trap file. Its GC log is switched on at run time (jcmd VM.log), so the
 * plain command really runs with no flag. Main thread only.
 */
final class CollectorChild implements AutoCloseable {
    final Setup setup;
    final Child child;
    final int port;
    final Path trapFile;
    final Path gcLog;
    final String label;
    final boolean kmsg;
    /** When it was started (System.nanoTime). */
    final long startedNanos = System.nanoTime();

    private CollectorChild(Setup setup, Child child, int port, Path trapFile, Path gcLog, String label, boolean kmsg) {
        this.kmsg = kmsg;
        this.setup = setup;
        this.child = child;
        this.port = port;
        this.trapFile = trapFile;
        this.gcLog = gcLog;
        this.label = label;
    }

    /** What the collector made of lines appended to its trap file; received and dropped since the first info. */
    record Intake(double seconds, long cpuMillis, long received, long dropped) {
    }

    /**
     * Appends {@code bytes} ({@code lines} trap lines) to the trap file and waits, at most
     * {@code timeoutSeconds}, until getCollectorInfo counts that many more events received or
     * dropped than {@code info0} (an answer taken before).
     */
    Intake feedTrapFile(byte[] bytes, long lines, long timeoutSeconds, String info0) throws Exception {
        long before = Rpc.member(info0, "trapsReceived") + Rpc.member(info0, "trapsDropped");
        long c0 = child.cpuMillis();
        long w0 = System.nanoTime();
        Files.write(trapFile, bytes, java.nio.file.StandardOpenOption.APPEND);
        long taken = before;
        String info = info0;
        while (taken < before + lines && System.nanoTime() - w0 < timeoutSeconds * 1_000_000_000L) {
            Thread.sleep(50);
            info = Rpc.call(port, "getCollectorInfo");
            taken = Rpc.member(info, "trapsReceived") + Rpc.member(info, "trapsDropped");
        }
        double seconds = (System.nanoTime() - w0) / 1e9;
        long cpu = child.cpuMillis() - c0;
        long dropped = Rpc.member(info, "trapsDropped") - Rpc.member(info0, "trapsDropped");
        return new Intake(seconds, cpu, taken - before - dropped, dropped);
    }

    /**
     * @param label  file-name-safe name of this instance (logs, trap file)
     * @param extra  more collector options (e.g. {@code -k none}, {@code --sweep 86400})
     * @param kmsg   follow the tree's kmsg file
     */
    static CollectorChild start(Setup setup, String label, Path jar, Path work, Path tree, List<String> extra,
                                boolean kmsg) throws IOException {
        Path trapFile = work.resolve("traps-" + label + ".log");
        // 300 distinct traps (none alike): the store keeps maxtraps = 250 of them.
        IngestBench.writeFile(trapFile, 300, IngestBench::distinctLine);
        Path config = Files.writeString(work.resolve("empty.conf"), "");
        int port = CollectorBench.freePort();
        List<String> args = new ArrayList<>(List.of("-jar", jar.toString(), "-f", config.toString(), "--allow-root",
                "-p", Integer.toString(port), "-i", Integer.toString(CollectorBench.INTERVAL), "-m",
                Integer.toString(CollectorBench.MAX_TRAPS), "-r", tree.toString(), "-t", trapFile.toString(), "-k",
                kmsg ? tree.resolve(SimulatedTree.KMSG_FILE).toString() : "none"));
        args.addAll(extra);
        Child c = Child.start("collector " + label, setup.flags(), args, work.resolve("collector-" + label + ".log"),
                setup.env());
        return new CollectorChild(setup, c, port, trapFile, work.resolve("collector-" + label + "-gc.log"), label,
                kmsg);
    }

    /** Waits for the first scan and the 300 traps; switches the GC log on; getCollectorInfo's answer. */
    String awaitReady() throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!child.alive()) {
                throw new IllegalStateException(label + " exited; see " + child.log());
            }
            try {
                last = Rpc.call(port, "getCollectorInfo");
                Long scan = Rpc.member(last, "lastScan");
                Long received = Rpc.member(last, "trapsReceived");
                if (scan != null && scan > 0 && received != null && received >= 300) {
                    child.jcmd("VM.log", "output=file=" + gcLog, "what=gc", "decorators=uptime");
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(label + " not ready in 180 s: " + last);
    }

    /** The GC log lines that record a pause. */
    List<String> pauses() throws IOException {
        if (!Files.exists(gcLog)) {
            return List.of();
        }
        return Files.readAllLines(gcLog).stream().filter(l -> l.contains("Pause")).toList();
    }

    @Override
    public void close() {
        child.close();
    }

    @Override
    public String toString() {
        return child.toString();
    }
}
