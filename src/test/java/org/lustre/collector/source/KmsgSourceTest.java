package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lustre.collector.source.CollectingSink.awaitTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.lustre.LustreTree;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class KmsgSourceTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String BOOT_ID = "0f3b2c9e-6a51-4c8e-9d7a-2b1e4f6a8c01";
    /** Uptime 100000.25 s: boot time = NOW - 100000250 ms. */
    private static final long BOOT = NOW - 100_000_250L;

    @TempDir
    Path dir;

    private final CollectingSink sink = new CollectingSink();
    private final List<KmsgSource> sources = new ArrayList<>();
    private SourceHealth health;

    /** In-memory LustreTree: just the files the test puts in. */
    static final class MapTree implements LustreTree {
        private final Map<String, String> files = new TreeMap<>();

        MapTree put(String path, String content) {
            files.put(path, content);
            return this;
        }

        @Override
        public synchronized String read(String path) {
            return files.get(path);
        }

        @Override
        public synchronized List<String> list(String dir) {
            String p = dir.endsWith("/") ? dir : dir + "/";
            return files.keySet().stream().filter(k -> k.startsWith(p)).map(k -> k.substring(p.length()).split("/")[0])
                    .distinct().sorted().toList();
        }

        @Override
        public synchronized boolean exists(String path) {
            return files.containsKey(path) || !list(path).isEmpty();
        }
    }

    private static MapTree bootTree() {
        return new MapTree().put("proc/uptime", "100000.25 180000.50\n").put("proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
    }

    @AfterEach
    void stop() {
        for (KmsgSource s : sources) {
            s.close();
            assertFalse(s.running(), "close() must end the kmsg thread");
        }
    }

    private KmsgSource start(Path file, LustreTree tree) {
        health = new SourceHealth("kmsg", file.toString());
        KmsgSource s = new KmsgSource(file, tree, sink, health, () -> NOW, ZoneOffset.UTC, 200);
        sources.add(s);
        s.start();
        return s;
    }

    private Path copyFixture(String dir0, String name) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, KmsgRulesTest.fixture(dir0, name), StandardCharsets.UTF_8);
        return f;
    }

    private static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void recordsFileGivesBootIdSeqIdsTimesAndRepeats() throws Exception {
        Path f = copyFixture("constructed", "dev-kmsg-records.txt");
        start(f, bootTree());
        List<TrapEvent> events = sink.awaitEvents(8);
        assertEquals(List.of(2417, 2419, 2421, 2422, 2423, 2424, 2425, 2426).stream().map(n -> BOOT_ID + ":" + n).toList(),
                sink.ids());
        TrapEvent lost = events.get(0);
        assertEquals(new TrapEvent(BOOT_ID + ":2417", BOOT + 87_885_624L, Category.WARNING, "DIAS", "DIAS-OST0001",
                "DIAS-OST0001-osc-ffff9d6153c91000: Connection to DIAS-OST0001 (at 192.168.14.178@tcp) was lost; "
                        + "in progress operations using this service will wait for recovery to complete", "kmsg"), lost);
        assertEquals(Category.FATAL, events.get(7).category());
        // "Skipped 1" (seq 2420) followed the trap of seq 2419, the second event.
        assertEquals(List.of(new CollectingSink.Repeat("kmsg", 1, 2)), sink.repeats());

        // Followed like tail -f: a repeat of the LBUG, then an ignored Lustre line whose "Skipped" is dropped.
        append(f, "4,2428,88000600000,-;Lustre: Skipped 5 previous similar messages\n"
                + "4,2429,88000700000,-;Lustre: DIAS-OST0001: deleting orphan objects from 0x0:1 to 0x0:2\n"
                + "4,2430,88000800000,-;Lustre: Skipped 7 previous similar messages\n"
                + "13,2431,88000900000,-;LustreError: written by user space, not a trap\n"
                + "6,2432,88001000000,-;Lustre: DIAS-OST0002: Recovery over after 0:10, of 2 clients 2 recovered and 0 were evicted.\n");
        sink.awaitEvents(9);
        assertEquals(BOOT_ID + ":2432", sink.ids().get(8));
        assertEquals(List.of(new CollectingSink.Repeat("kmsg", 1, 2), new CollectingSink.Repeat("kmsg", 5, 8)), sink.repeats());
        assertEquals(9, sink.events().size());
        assertEquals(0, health.parseErrors());
        assertEquals("ok", health.state());
    }

    @Test
    void aFullQueueMakesTheKernelLogWaitNotDrop() throws Exception {
        // The whole ring replayed at start while the watcher is busy: a one-slot queue, drained
        // one item at a time, still gets every trap and the repeat.
        Path f = copyFixture("constructed", "dev-kmsg-records.txt");
        TrapQueue queue = new TrapQueue(1);
        health = new SourceHealth("kmsg", f.toString());
        KmsgSource s = new KmsgSource(f, bootTree(), queue, health, () -> NOW, ZoneOffset.UTC, 200);
        sources.add(s);
        s.start();
        List<String> ids = new ArrayList<>();
        long[] repeated = {0};
        awaitTrue(() -> {
            queue.drainTo(item -> {
                if (item instanceof TrapQueue.Event e) {
                    ids.add(e.event().id());
                } else {
                    repeated[0] += ((TrapQueue.Repeat) item).count();
                }
            }, 1);
            return ids.size() + repeated[0] >= 9;
        }, "8 traps and a repeat of 1 through a one-slot queue");
        assertEquals(0, queue.dropped());
        assertEquals(1, repeated[0]);
        assertEquals(List.of(2417, 2419, 2421, 2422, 2423, 2424, 2425, 2426).stream().map(n -> BOOT_ID + ":" + n).toList(),
                ids);
    }

    @Test
    void syslogLinesGetIdsFromTheirTextTheSameOnEveryRead() throws Exception {
        Path f = copyFixture("real", "schroedinger-2014-oss.syslog");
        start(f, bootTree());
        sink.awaitEvents(6);
        append(f, "Jun 25 23:58:00 lustre-oss1 kernel: Lustre: lustre-OST0010-osc-MDT0000: Connection restored to lustre-OST0010 (at 10.130.93.23@o2ib)\n");
        sink.awaitEvents(7);
        List<String> ids = sink.ids();
        assertEquals(7, Set.copyOf(ids).size(), ids.toString());
        assertTrue(ids.stream().allMatch(id -> id.matches("console:[0-9a-f]{16}")), ids.toString());
        assertEquals(List.of(1, 3, 2), sink.repeats().stream().map(CollectingSink.Repeat::count).toList());
        TrapEvent mgs = sink.events().get(1);
        assertEquals("MGS", mgs.node());
        assertEquals(Category.CRITICAL, mgs.category());
        // the lines there at start are history (timed by their own time), the appended one is not
        assertEquals(List.of(true, true, true, true, true, true, false), sink.history());

        // A second collector reading the same file (the pair's other node, a restart): same ids.
        start(f, bootTree());
        sink.awaitEvents(14);
        assertEquals(ids, sink.ids().subList(7, 14));
    }

    @Test
    void syslogLinesWithTheKernelTimeTooAreClassifiedAndTimedBySyslog() throws Exception {
        Path f = dir.resolve("messages");
        Files.writeString(f, "Jun 25 23:58:00 mds1 kernel: [ 8123.000456] LustreError: 11-0: lustre-OST0010-osc-MDT0000: "
                + "operation ost_connect to node 10.130.93.23@o2ib failed: rc = -19\n"
                + "<3>[ 8124.5] Lustre: lustre-OST0011-osc-MDT0000: Connection to lustre-OST0011 (at 10.130.93.24@o2ib) "
                + "was lost; in progress operations using this service will wait for recovery to complete\n");
        start(f, bootTree());
        sink.awaitEvents(2);
        List<TrapEvent> ev = sink.events();
        assertEquals(List.of("lustre-OST0010", "lustre-OST0011"), ev.stream().map(TrapEvent::node).toList());
        assertTrue(sink.ids().get(0).startsWith("console:"), "timed by its syslog wall time: " + sink.ids());
    }

    @Test
    void consoleIdsStayUniqueAcrossRotationAndRepeatedLines() throws Exception {
        // Line numbers as ids gave the first lines of the new file the ids of the old one's.
        String lost = "Lustre: lustrefs-OST0001-osc-MDT0000: Connection to lustrefs-OST0001 (at 10.0.0.1@o2ib) was lost; "
                + "in progress operations using this service will wait for recovery to complete\n";
        String restored = "Lustre: lustrefs-OST0001-osc-MDT0000: Connection restored to lustrefs-OST0001 (at 10.0.0.1@o2ib)\n";
        Path f = dir.resolve("console.log");
        Files.writeString(f, "[100.000001] " + lost + "[100.000002] " + restored);
        start(f, bootTree());
        sink.awaitEvents(2);
        Files.move(f, dir.resolve("console.log.1"));
        // The same text at a later time, then twice the very same line (the log shows an event twice).
        Files.writeString(f, "[200.000001] " + lost + "[200.000002] " + restored + "[200.000002] " + restored);
        List<String> ids = sink.awaitEvents(5).stream().map(TrapEvent::id).toList();
        assertEquals(5, Set.copyOf(ids).size(), ids.toString());
        assertTrue(ids.stream().allMatch(id -> id.startsWith(BOOT_ID + ":")), ids.toString());
        assertEquals(ids.get(3) + ".1", ids.get(4), "the second identical line is numbered");
    }

    @Test
    void aRecordSequenceGoingBackStartsNewIdsThatBothReadersAgreeOn() throws Exception {
        Path f = dir.resolve("records");
        String lost = "Lustre: lustrefs-OST0001-osc-MDT0000: Connection to lustrefs-OST0001 (at 10.0.0.1@o2ib) was lost; "
                + "in progress operations using this service will wait for recovery to complete\n";
        Files.writeString(f, "4,500,1000000,-;" + lost + "4,501,2000000,-;" + lost);
        start(f, bootTree());
        sink.awaitEvents(2);
        append(f, "4,500,1500000,-;" + lost + "4,502,1600000,-;" + lost); // a later boot's records
        List<String> ids = sink.awaitEvents(4).stream().map(TrapEvent::id).toList();
        assertEquals(List.of(BOOT_ID + ":500", BOOT_ID + ":501"), ids.subList(0, 2));
        assertEquals(4, Set.copyOf(ids).size(), ids.toString());
        assertTrue(ids.get(2).endsWith(":500") && ids.get(3).endsWith(":502"), ids.toString());
        start(f, bootTree());
        assertEquals(ids, sink.awaitEvents(8).stream().map(TrapEvent::id).toList().subList(4, 8));
    }

    @Test
    void dmesgTimestampsAreSinceBoot() throws Exception {
        Path f = copyFixture("real", "cray-2.15.5-client-lbug.dmesg.log");
        start(f, bootTree());
        List<TrapEvent> events = sink.awaitEvents(2);
        assertTrue(events.get(0).id().matches(BOOT_ID + ":[0-9a-f]{16}"), events.get(0).id());
        assertEquals(BOOT + 75_439_499L, events.get(0).eventTimeMillis());
        assertTrue(events.get(1).id().matches(BOOT_ID + ":[0-9a-f]{16}"), events.get(1).id());
        assertNotEquals(events.get(0).id(), events.get(1).id());
        assertTrue(events.stream().allMatch(e -> e.category() == Category.FATAL));
    }

    @Test
    void withoutBootInfoTheFirstRecordIsNowAndTheIdIsStable() throws Exception {
        Path f = copyFixture("constructed", "dev-kmsg-records.txt");
        start(f, new MapTree());
        sink.awaitEvents(8);
        // A second collector run over the same ring derives the same ids.
        start(f, new MapTree());
        List<TrapEvent> all = sink.awaitEvents(16);
        String prefix = all.get(0).id().substring(0, all.get(0).id().indexOf(':'));
        assertTrue(prefix.matches("[0-9a-f-]{36}"), prefix);
        assertEquals(all.stream().limit(8).map(TrapEvent::id).sorted().toList(),
                all.stream().skip(8).map(TrapEvent::id).sorted().toList());
        // The first record (seq 7,160 at usec 424069) is "now"; seq 2417 is later by the usec difference.
        long boot = NOW - 424_069L / 1000;
        assertEquals(boot + 87_885_624L, all.get(0).eventTimeMillis());
    }

    @Test
    void permissionDeniedIsAHealthErrorThatRecovers() throws Exception {
        Path records = copyFixture("constructed", "dev-kmsg-records.txt");
        Path f = dir.resolve("kmsg");
        Unreadable.make(f, records);
        KmsgSource s = start(f, bootTree());
        awaitTrue(() -> "error".equals(health.state()), "a health error");
        assertEquals("permission denied on " + f + ": run as a user in group adm or set kmsg=none", health.message());
        assertTrue(sink.events().isEmpty());
        assertTrue(s.running(), "the kernel log source keeps trying");
        Unreadable.fix(f, records);
        sink.awaitEvents(8);
        awaitTrue(() -> "ok".equals(health.state()), "health ok again");
        assertEquals("following " + f.toAbsolutePath(), health.message());
    }
}
