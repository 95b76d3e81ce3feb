package org.lustre.collector.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Peer (b): the same 1,000,000 distinct trap lines appended in one write to a followed file, taken
 * in by rsyslog (imfile to omfile, its own instance: -n, its own config, no network module) and by
 * the shipped collector's own intake (trap file to store, 8 XML-RPC clients polling getTraps at
 * 20 calls/s each). Lines/s from the write until the last line is out (rsyslog: written to its
 * output file; collector: counted by getCollectorInfo). Main thread only.
 */
final class IntakeBench {
    static final String SECTION = "7. Peers: trap intake beside rsyslog";
    static final int LINES = 1_000_000;
    private static final String RSYSLOGD = "/usr/sbin/rsyslogd";

    private final Report report;
    private final Path work;
    private long seq = 5_000_000;

    IntakeBench(Report report, Path work) {
        this.report = report;
        this.work = work;
    }

    /** 1,000,000 distinct lines (none coalesced), a fresh batch of sequence numbers each call. */
    private byte[] batch() {
        byte[] out = new byte[LINES * IngestBench.LINE_BYTES];
        long now = System.currentTimeMillis();
        int at = 0;
        for (int i = 0; i < LINES; i++) {
            byte[] line = (IngestBench.distinctLine(seq++, now + i / 100) + "\n").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(line, 0, out, at, line.length);
            at += line.length;
        }
        return at == out.length ? out : java.util.Arrays.copyOf(out, at);
    }

    /** rsyslog's lines/s, or NaN (with a note) when rsyslogd is not installed. */
    double rsyslog() throws Exception {
        if (!Files.isExecutable(Path.of(RSYSLOGD))) {
            report.note(SECTION, "rsyslog: " + RSYSLOGD + " not installed (`apt-get install -y rsyslog`): no figure.");
            return Double.NaN;
        }
        Path dir = work.resolve("rsyslog");
        Bench.deleteTree(dir);
        Files.createDirectories(dir);
        Path in = Files.writeString(dir.resolve("in.log"), "");
        Path out = dir.resolve("out.log");
        Path conf = Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imfile\" mode=\"inotify\")",
                "template(name=\"raw\" type=\"string\" string=\"%msg%\\n\")",
                "ruleset(name=\"traps\") { action(type=\"omfile\" file=\"" + out + "\" template=\"raw\") }",
                "input(type=\"imfile\" file=\"" + in + "\" tag=\"trap\" ruleset=\"traps\")", ""));
        byte[] data = batch();
        String version = "";
        try (Child rs = Child.command("rsyslogd", List.of(RSYSLOGD, "-n", "-f", conf.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString()), dir.resolve("rsyslogd.log"))) {
            Thread.sleep(2_000);
            if (!rs.alive()) {
                throw new IllegalStateException("rsyslogd exited: see " + rs.log());
            }
            long c0 = rs.cpuMillis();
            long w0 = System.nanoTime();
            Files.write(in, data, StandardOpenOption.APPEND);
            long counted = 0;
            long pos = 0;
            byte[] buf = new byte[1 << 20];
            while (counted < LINES && System.nanoTime() - w0 < 300_000_000_000L) {
                Thread.sleep(50);
                if (!Files.exists(out)) {
                    continue;
                }
                try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "r")) {
                    f.seek(pos);
                    int n;
                    while ((n = f.read(buf)) > 0) {
                        pos += n;
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                counted++;
                            }
                        }
                    }
                }
            }
            double seconds = (System.nanoTime() - w0) / 1e9;
            long cpu = rs.cpuMillis() - c0;
            double rate = counted / seconds;
            Process v = new ProcessBuilder(RSYSLOGD, "-v").redirectErrorStream(true).start();
            version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            v.waitFor();
            report.row(SECTION, "rsyslog (imfile > omfile): 1,000,000 trap lines from the write to its output file",
                    Report.f("%,.0f lines/s (%.1f s, rsyslogd CPU %.1f s; %,d of %,d lines out)", rate, seconds,
                            cpu / 1000.0, counted, LINES), "", "", "(peer)", "info");
            String shown = version.replace("compiled with:", "").trim().replaceAll(",$", "");
            report.note(SECTION, "rsyslog: " + shown + ", its own instance (`rsyslogd -n -f CONF -i PID`; "
                    + "config: `imfile` in inotify mode on one file, a ruleset with one `omfile` action writing "
                    + "`%msg%` lines; no network module loaded, so no port), started with an empty input file; the "
                    + "1,000,000 lines are appended in one write, as for the collector. Its output file and work "
                    + "directory stay in the bench work directory until the next run.");
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            return rate;
        }
    }

    /**
     * The collector's own intake of the same kind of lines while 8 clients poll getTraps(0) at 20
     * calls/s each; a row with rsyslog's rate beside it.
     */
    void collector(CollectorChild c, double rsyslogRate) throws Exception {
        byte[] data = batch(); // fresh sequence numbers: distinct from what it stored before
        String info0 = Rpc.call(c.port, "getCollectorInfo");
        try (Load load = new Load(c.port, "/RPC2", Rpc.body("getTraps", 0), 8, 50)) {
            Thread.sleep(1_000);
            CollectorChild.Intake in = c.feedTrapFile(data, LINES, 300, info0);
            double seconds = in.seconds();
            long cpu = in.cpuMillis();
            long dropped = in.dropped();
            long received = in.received();
            double rate = received / seconds;
            double ratio = rate / rsyslogRate;
            String figure = c.setup.tag() + "collector: 1,000,000 distinct trap lines through the trap file into "
                    + "the store, 8 clients polling getTraps(0) at 20 calls/s each";
            report.explain(figure, Report.f("rsyslog copies each line to a file; the collector parses it, sorts it "
                    + "into a storm kind, stores it and answers 160 getTraps calls a second meanwhile: %.1f us of "
                    + "CPU a line here (C1 only, serial GC: section 1 shows where a line's time goes)",
                    cpu * 1000.0 / Math.max(1, received)));
            report.row(SECTION, figure,
                    Report.f("%,.0f lines/s (%.1f s, collector CPU %.1f s; %,d stored or coalesced, %,d lost to the "
                            + "full hand-over queue)", rate, seconds, cpu / 1000.0, received, dropped),
                    Double.isNaN(rsyslogRate) ? "rsyslog: no figure" : Report.f("%,.0f lines/s (rsyslog)", rsyslogRate),
                    Double.isNaN(ratio) ? "" : Report.f("%.2fx", ratio), ">= rsyslog's lines/s, none lost",
                    Double.isNaN(ratio) ? "info" : Report.status(ratio >= 1.0 && dropped == 0));
        }
    }
}
