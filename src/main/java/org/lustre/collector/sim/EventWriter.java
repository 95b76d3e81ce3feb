package org.lustre.collector.sim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.lustre.collector.trap.Category;

/**
 * The event lines beside a simulated tree: /dev/kmsg records in the {@code kmsg} file (with
 * {@code proc/uptime} kept in step, since the kmsg source maps record times through it) and trap
 * lines in {@code traps.log}. Appends write whole lines. Not thread-safe: {@link SimulatedTree}
 * serializes its callers.
 */
final class EventWriter {
    private final TreeFiles files;
    private final Path kmsg;
    private final Path traps;
    private final LongSupplier clock;
    private final long bootMillis;
    private long nextKmsgSeq;
    private long lastKmsgUsec;
    private long trapCounter;

    EventWriter(TreeFiles files, LongSupplier clock, long bootMillis, long nextKmsgSeq, long lastKmsgUsec) {
        this.files = files;
        this.kmsg = files.resolve(SimulatedTree.KMSG_FILE);
        this.traps = files.resolve(SimulatedTree.TRAP_FILE);
        this.clock = clock;
        this.bootMillis = bootMillis;
        this.nextKmsgSeq = nextKmsgSeq;
        this.lastKmsgUsec = lastKmsgUsec;
    }

    long bootMillis() {
        return bootMillis;
    }

    long nextKmsgSeq() {
        return nextKmsgSeq;
    }

    /** {seq, usec} of the last record of a kmsg file, {0, 0} when there is none. */
    static long[] lastKmsgRecord(Path kmsg) throws IOException {
        if (!Files.exists(kmsg)) {
            return new long[] {0, 0};
        }
        String tail;
        try (RandomAccessFile f = new RandomAccessFile(kmsg.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 65_536);
            byte[] b = new byte[n];
            f.seek(len - n);
            f.readFully(b);
            tail = new String(b, StandardCharsets.UTF_8);
        }
        String[] lines = tail.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] h = lines[i].split("[,;]", 4);
            if (h.length == 4 && h[0].matches("\\d+") && h[1].matches("\\d+") && h[2].matches("\\d+")) {
                return new long[] {Long.parseLong(h[1]), Long.parseLong(h[2])};
            }
        }
        return new long[] {0, 0};
    }

    /** The libcfs mapping: 0 for LBUG/ASSERTION, 3 for LustreError, 6 for restored/recovery lines, else 4. */
    static int defaultPriority(String message) {
        if (message.contains("LBUG") || message.contains("ASSERTION(")) {
            return 0;
        }
        if (message.startsWith("LustreError") || message.startsWith("LNetError")) {
            return ConsoleText.ERR;
        }
        if (message.contains("Connection restored") || message.contains("Recovery over")) {
            return ConsoleText.INFO;
        }
        return ConsoleText.WARN;
    }

    static List<String[]> one(int priority, String message) {
        return Collections.singletonList(new String[] {String.valueOf(priority), message});
    }

    /** Writes {priority, message} records with increasing sequence numbers, spread over at most one second. */
    void appendKmsgRecords(List<String[]> records, long now) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        long base = Math.max(lastKmsgUsec + 1, (now - bootMillis) * 1000);
        long step = Math.max(1, 999_000 / records.size());
        StringBuilder b = new StringBuilder(records.size() * 160);
        for (int k = 0; k < records.size(); k++) {
            long usec = base + k * step;
            b.append(records.get(k)[0]).append(',').append(nextKmsgSeq++).append(',').append(usec).append(",-;")
                    .append(records.get(k)[1].replace('\n', ' ')).append('\n');
            lastKmsgUsec = usec;
        }
        Files.writeString(kmsg, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        writeUptime(clock.getAsLong());
    }

    void writeUptime(long now) throws IOException {
        long up = Math.max(0, now - bootMillis);
        long idle = up * 19 / 10; // two CPUs, mostly idle
        files.replace("proc/uptime", String.format(Locale.ROOT, "%d.%02d %d.%02d\n", up / 1000, up % 1000 / 10,
                idle / 1000, idle % 1000 / 10));
    }

    /** One trap line, {@code id time category fs node message} TAB-separated; TABs and line breaks in fields become spaces. */
    void appendTrap(Category category, String fs, String node, String message) throws IOException {
        long now = clock.getAsLong();
        String id = "sim-" + now + "-" + (++trapCounter);
        String time = (now / 1000) + "." + String.format(Locale.ROOT, "%03d", now % 1000);
        String line = id + '\t' + time + '\t' + category.label() + '\t' + clean(fs) + '\t' + clean(node) + '\t'
                + clean(message) + '\n';
        Files.writeString(traps, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }
}
