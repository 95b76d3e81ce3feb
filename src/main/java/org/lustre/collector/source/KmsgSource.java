package org.lustre.collector.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.log.RateLimitedLog;
import org.lustre.collector.lustre.LustreTree;
import org.lustre.collector.trap.TrapEvent;

/**
 * Follows the kernel log (config {@code kmsg}, default {@code /dev/kmsg}) and turns Lustre and
 * LNet messages into traps through {@link KmsgRules} (docs/design.md, "The data path").
 *
 * <p><b>Input.</b> The character device {@code /dev/kmsg}: opening it starts at the oldest record
 * still in the ring, so a restarted collector rebuilds its traps without state on disk; each
 * read() returns one record ({@link KmsgRecordParser}). Or a regular file ({@link FileFollower})
 * of such records one a line, or of console lines from dmesg or syslog ({@link ConsoleLineParser}).
 * Records whose facility is not the kernel's (user space writing to /dev/kmsg) are ignored.
 *
 * <p><b>Ids.</b> A record's id is {@code boot_id:seq}, boot_id from
 * {@code proc/sys/kernel/random/boot_id}: the kernel's own numbering, so reading the ring again
 * gives the same ids, and the store drops the copies. In a file of records the sequence can go
 * back (records of a later boot appended, the file refilled): from such a record on, the prefix
 * is a UUID derived from the previous prefix and that record's text, so ids stay unique and two
 * collectors reading the same file still agree. A console line's id comes from its text
 * ({@link ConsoleIds}), never from its place in the file.
 *
 * <p><b>Times and history.</b> Event time = boot time + usec, boot time = now - the first field
 * of {@code proc/uptime}, both read once through the {@link LustreTree}. Without uptime, boot
 * time = now - usec of the first record (as if the first record were fresh). Without boot_id, the
 * id prefix is a name-based UUID of the boot time rounded to 10 s, stable across restarts as long
 * as the estimate does not cross a 10 s boundary. Records of /dev/kmsg dated before the source
 * started, and the lines already in a file when it is first opened, are history
 * ({@link TrapSink#replay}).
 *
 * <p><b>Repeats.</b> "Skipped N previous similar messages" calls {@code sink.repeat("kmsg", N)}
 * when the Lustre line before it raised a trap; after an ignored Lustre line it is dropped too.
 *
 * <p><b>Permission denied</b> is a health error ("run as a user in group adm or set kmsg=none"),
 * retried with a growing pause like any read error: group membership or a file's mode can be fixed
 * while we run.
 *
 * <p>Threads: {@link #start()} spawns the daemon thread "kmsg-follower", which alone
 * reads and calls the sink; {@link #close()} may be called from any thread.
 */
public final class KmsgSource implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(KmsgSource.class);
    /** The {@link TrapEvent#source()} of kernel-log events. */
    public static final String SOURCE = "kmsg";
    /** Larger than the kernel's longest record (CONSOLE_EXT_LOG_MAX = 8 KiB): a smaller buffer gets EINVAL. */
    private static final int RECORD_BUFFER = 16 * 1024;

    private final Path path;
    private final LustreTree tree;
    private final TrapSink sink;
    private final SourceHealth health;
    private final LongSupplier clockMillis;
    private final ZoneId zone;
    private final FileFollower follower;
    private volatile FileChannel device;

    // Owned by the follower thread.
    private long bootMillis = -1;
    private String bootId;
    /** The id prefix of records read from a file: bootId until their sequence goes back. */
    private String recordPrefix;
    private long lastFileSeq = -1;
    private final ConsoleIds consoleIds = new ConsoleIds();
    /** When the source started: /dev/kmsg records dated before are history. */
    private long startMillis;
    private boolean lastLustreLineWasTrap;
    // the reading thread only: ring wraps seen, and their log line
    private long wraps;
    private final RateLimitedLog wrapLog;

    public KmsgSource(Path kmsgPath, LustreTree treeForBootInfo, TrapSink sink, SourceHealth health, LongSupplier clockMillis) {
        this(kmsgPath, treeForBootInfo, sink, health, clockMillis, ZoneId.systemDefault(), FileFollower.RECHECK_MILLIS);
    }

    KmsgSource(Path kmsgPath, LustreTree treeForBootInfo, TrapSink sink, SourceHealth health, LongSupplier clockMillis,
               ZoneId zone, long recheckMillis) {
        this.path = kmsgPath;
        this.tree = treeForBootInfo;
        this.sink = sink;
        this.health = health;
        this.clockMillis = clockMillis;
        this.wrapLog = new RateLimitedLog(LOG, RateLimitedLog.MINUTE_MILLIS, clockMillis, "ring wraps");
        this.zone = zone;
        this.follower = new FileFollower(kmsgPath, health, this::onFileLine, recheckMillis);
    }

    /** Spawns the follower thread. Call once. */
    public void start() {
        follower.start("kmsg-follower", this::run);
    }

    private void run() {
        startMillis = clockMillis.getAsLong();
        readBootInfo();
        follower.run("kernel log", this::readDevice, e -> isPermissionDenied(e)
                ? "permission denied on " + path + ": run as a user in group adm or set kmsg=none" : null);
    }

    private static boolean isPermissionDenied(IOException e) {
        String m = e.getMessage();
        return e instanceof AccessDeniedException
                || (m != null && (m.contains("Permission denied") || m.contains("Operation not permitted")));
    }

    /** /dev/kmsg: one record per read(). */
    private void readDevice() throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        device = ch;
        follower.opened("reading " + path);
        ByteBuffer buf = ByteBuffer.allocate(RECORD_BUFFER);
        try {
            while (!follower.stopped()) {
                buf.clear();
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    if (!follower.stopped() && e.getMessage() != null && e.getMessage().contains("Broken pipe")) {
                        ringWrapped();
                        continue;
                    }
                    throw e;
                }
                if (n < 0) {
                    follower.pause(); // not /dev/kmsg after all (a device answering EOF): do not spin
                    return;
                }
                String record = new String(buf.array(), 0, n, StandardCharsets.UTF_8);
                try {
                    KmsgRecordParser.Record r = KmsgRecordParser.parse(record);
                    if (r.facility() == 0) {
                        long time = timeOf(r.usec());
                        handle(r.message(), bootId + ":" + r.seq(), time, time < startMillis);
                    }
                } catch (SourceParseException e) {
                    health.parseError(record, e.reason());
                }
            }
        } catch (IOException e) {
            if (!follower.stopped()) {
                throw e;
            }
        } finally {
            device = null;
            ch.close();
        }
    }

    /**
     * The kernel overwrote records before we read them: reading goes on with the oldest one left.
     * Logged at most once a minute, with a count, since it means kernel messages were lost.
     */
    private void ringWrapped() {
        wraps++;
        wrapLog.warn("{}: the kernel's ring wrapped before it was read ({} times so far): some kernel messages "
                + "were lost", path, wraps);
    }

    /** A line of a regular file: a record header, a dictionary line, or a console line. */
    private void onFileLine(String line, boolean history) {
        if (line.startsWith(" ") || line.isEmpty()) {
            return; // dictionary (continuation) line of the record before, or a blank line
        }
        if (KmsgRecordParser.looksLikeRecord(line)) {
            KmsgRecordParser.Record r;
            try {
                r = KmsgRecordParser.parse(line);
            } catch (SourceParseException e) {
                health.parseError(line, e.reason());
                return;
            }
            long time = timeOf(r.usec());
            String prefix = filePrefix(r.seq(), line);
            if (r.facility() == 0) {
                handle(r.message(), prefix + ":" + r.seq(), time, history);
            }
            return;
        }
        ConsoleLineParser.Line c = ConsoleLineParser.parse(line, clockMillis.getAsLong(), zone);
        // A syslog line may carry both; its wall time is the one that holds across reboots.
        long time;
        if (c.wallMillis() >= 0) {
            ensureBoot(0);
            time = c.wallMillis();
        } else if (c.usecSinceBoot() >= 0) {
            time = timeOf(c.usecSinceBoot());
        } else {
            ensureBoot(0);
            time = clockMillis.getAsLong();
        }
        KmsgRules.Match m = KmsgRules.classify(c.message());
        if ("not-lustre".equals(m.kind())) {
            return; // most lines of a syslog file: spare them the id's hash
        }
        String id;
        if (c.wallMillis() >= 0) {
            id = ConsoleIds.WALL_CLOCK_PREFIX + ":" + consoleIds.next(line, c.wallMillis(), true);
        } else if (c.usecSinceBoot() >= 0) {
            id = bootId + ":" + consoleIds.next(line, c.usecSinceBoot(), true);
        } else {
            id = bootId + ":" + consoleIds.next(line, time, false);
        }
        handle(m, id, time, history);
    }

    /**
     * The id prefix of a record of a file with sequence number {@code seq}: {@code bootId} while the
     * sequence grows; when it goes back, a new prefix derived from the previous one and the record.
     */
    private String filePrefix(long seq, String line) {
        if (recordPrefix == null) {
            recordPrefix = bootId;
        }
        if (seq <= lastFileSeq) {
            recordPrefix = UUID.nameUUIDFromBytes((recordPrefix + "\n" + line).getBytes(StandardCharsets.UTF_8))
                    .toString();
            LOG.info("{}: the record sequence went back ({} after {}): ids of the records from here on start with {}",
                    path, seq, lastFileSeq, recordPrefix);
        }
        lastFileSeq = seq;
        return recordPrefix;
    }

    private void handle(String message, String id, long timeMillis, boolean history) {
        KmsgRules.Match m = KmsgRules.classify(message);
        if (!"not-lustre".equals(m.kind())) {
            handle(m, id, timeMillis, history);
        }
    }

    private void handle(KmsgRules.Match m, String id, long timeMillis, boolean history) {
        switch (m.action()) {
            case TRAP:
                TrapEvent e = new TrapEvent(id, timeMillis, m.category(), m.fs(), m.node(), m.message(), SOURCE);
                if (history) {
                    sink.replay(e);
                } else {
                    sink.submit(e);
                }
                lastLustreLineWasTrap = true;
                break;
            case REPEAT:
                if (lastLustreLineWasTrap) {
                    sink.repeat(SOURCE, m.count());
                }
                break;
            default:
                lastLustreLineWasTrap = false;
        }
    }

    private long timeOf(long usec) {
        ensureBoot(usec);
        return bootMillis + usec / 1000;
    }

    private void ensureBoot(long firstUsec) {
        if (bootMillis < 0) {
            bootMillis = clockMillis.getAsLong() - firstUsec / 1000;
            LOG.info("{}: no proc/uptime; boot time taken from the first record", path);
        }
        if (bootId == null) {
            long rounded = Math.round(bootMillis / 10_000.0);
            bootId = UUID.nameUUIDFromBytes(("boot-time/10s:" + rounded).getBytes(StandardCharsets.US_ASCII)).toString();
            LOG.info("{}: no proc/sys/kernel/random/boot_id; using {} derived from the boot time", path, bootId);
        }
    }

    private void readBootInfo() {
        try {
            String uptime = tree.read("proc/uptime");
            if (uptime != null && !uptime.isBlank()) {
                double seconds = Double.parseDouble(uptime.trim().split("\\s+")[0]);
                bootMillis = clockMillis.getAsLong() - Math.round(seconds * 1000);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read proc/uptime: {}", e.toString());
        }
        try {
            String id = tree.read("proc/sys/kernel/random/boot_id");
            if (id != null && !id.isBlank()) {
                bootId = id.trim();
            }
        } catch (IOException e) {
            LOG.warn("cannot read proc/sys/kernel/random/boot_id: {}", e.toString());
        }
    }

    /** True while the follower thread runs (tests check that it ended). */
    boolean running() {
        return follower.running();
    }

    /** Stops the follower thread and waits briefly for it. Any thread; idempotent. */
    @Override
    public void close() {
        follower.close();
        FileFollower.closeQuietly(device, path); // wakes the blocked read
        follower.stopThread();
    }
}
