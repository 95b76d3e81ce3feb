package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class LustreScannerTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void scansTheReal210Tree() {
        LustreSnapshot s = new LustreScanner(new FileLustreTree(Fixtures.HPE), 100, 0).scan(T0);
        assertEquals(List.of("lustrefs"), List.copyOf(s.fileSystems().keySet()));
        FileSystemState fs = s.fileSystems().get("lustrefs");
        List<String> expected = new ArrayList<>(List.of("lustrefs-MDT0000"));
        for (int i = 0; i < 7; i++) {
            expected.add("lustrefs-OST000" + i);
        }
        assertEquals(expected, fs.nodes());
        assertEquals(2241506560L, fs.kbytesTotal());
        assertEquals(2241500416L, fs.kbytesFree());
        assertEquals("healthy", s.health());
        assertEquals(0, s.parseErrors());
        assertEquals(8, s.nodes().size());

        NodeState ost0 = s.nodes().get("lustrefs-OST0000");
        assertEquals(new NodeState("lustrefs-OST0000", "lustrefs", "OST", 0, "lustrefs-OST0000_UUID",
                "172.20.20.5@o2ib", true, "FULL", true, 47168369664L, 47167063040L, 47158917120L,
                155098249L, 155097993L, T0), ost0);
        assertEquals("172.20.20.6@o2ib", s.nodes().get("lustrefs-OST0001").nid());
        assertEquals(4, s.nodes().get("lustrefs-OST0004").index());
        // Every OST of this tree is ACTIVE in target_obd, so every one responds; an INACTIVE one would not.
        for (NodeState n : s.nodes().values()) {
            if (n.kind().equals("OST")) {
                assertTrue(n.active(), n.name());
                assertEquals(n.active() && n.state().equals("FULL"), n.responding(), n.name());
            }
        }
        NodeState mdt = s.nodes().get("lustrefs-MDT0000");
        assertEquals("MDT", mdt.kind());
        assertTrue(mdt.responding());
        assertEquals("2.10.1", s.lustreVersion());
        assertEquals("INACTIVE", mdt.recovery().status(), "recovery_status of a 2.10.1 MDT without clients");
        assertEquals(Long.parseLong(Fixtures.hpe("proc/fs/lustre/mdt/lustrefs-MDT0000/num_exports").strip()),
                mdt.exports());
        assertEquals(0, s.readErrors());
        assertTrue(StateChanges.diff(LustreSnapshot.EMPTY, s).isEmpty(), "a healthy tree raises nothing");
    }

    @Test
    void inactiveOstInTargetObdIsNotResponding() throws IOException {
        TestTrees.copy(Fixtures.HPE, dir);
        Path tobd = dir.resolve("proc/fs/lustre/lod/lustrefs-MDT0000-mdtlov/target_obd");
        Files.writeString(tobd, Files.readString(tobd).replace("3: lustrefs-OST0003_UUID ACTIVE",
                "3: lustrefs-OST0003_UUID INACTIVE"));
        LustreSnapshot s = new LustreScanner(new FileLustreTree(dir), 2, 0).scan(T0);
        NodeState n3 = s.nodes().get("lustrefs-OST0003");
        // INACTIVE in target_obd means its statfs failed with ENOTCONN: unreachable, though the
        // OSP (active 1, no DEACTIVATED) says no administrator deactivated it.
        assertTrue(n3.active());
        assertFalse(n3.responding());
        assertTrue(s.nodes().get("lustrefs-OST0002").responding());
        List<TrapEvent> ev = StateChanges.diff(LustreSnapshot.EMPTY, s);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals(Category.CRITICAL, ev.get(0).category());
        assertEquals("lustrefs-OST0003 not responding (INACTIVE)", ev.get(0).message());
        assertEquals("lustrefs", ev.get(0).fs());
    }

    @Test
    void scansThe215Layout() {
        TestTrees.write(dir, "fs15", 3, false);
        TestTrees.writeOst(dir, "fs15", 1, "DISCONN", false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 10, 0);
        LustreSnapshot s = sc.scan(T0);
        assertEquals(List.of("fs15-MDT0000", "fs15-OST0000", "fs15-OST0001", "fs15-OST0002"),
                s.fileSystems().get("fs15").nodes());
        assertEquals(3000, s.fileSystems().get("fs15").kbytesTotal());
        NodeState o0 = s.nodes().get("fs15-OST0000");
        assertEquals("FULL", o0.state());
        assertEquals("10.0.0.1@o2ib1", o0.nid());
        assertEquals(1000, o0.kbytesTotal());
        assertEquals(90, o0.filesFree());
        NodeState o1 = s.nodes().get("fs15-OST0001");
        assertEquals("DISCONN", o1.state());
        assertTrue(o1.active());
        assertFalse(o1.responding());
        assertEquals(1_700_000_100L, sc.stateSince("fs15-OST0001"));
        assertEquals(0, s.parseErrors());

        List<TrapEvent> ev = StateChanges.diff(LustreSnapshot.EMPTY, s, sc::stateSince);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals("scan:fs15-OST0001:DISCONN:1700000100", ev.get(0).id());
        assertEquals("fs15-OST0001 not responding (state DISCONN)", ev.get(0).message());
        assertEquals(1_700_000_100_000L, ev.get(0).eventTimeMillis());

        // It comes back: an Info trap whose id uses the FULL transition of state_history.
        TestTrees.writeOst(dir, "fs15", 1, "FULL", false);
        LustreSnapshot s2 = sc.scan(T0 + 5000);
        List<TrapEvent> back = StateChanges.diff(s, s2, sc::stateSince);
        assertEquals(1, back.size(), back.toString());
        assertEquals(Category.INFO, back.get(0).category());
        assertEquals("scan:fs15-OST0001:FULL:1700000100", back.get(0).id());
    }

    @Test
    void layoutFindsEachItemWhereTheReleasePutIt() throws IOException {
        LustreLayout l210 = new LustreLayout(new FileLustreTree(Fixtures.HPE));
        assertTrue(l210.read(LustreLayout.Item.OSP_IMPORT, "osp/lustrefs-OST0000-osc-MDT0000/import") != null);
        assertEquals(LustreLayout.PROC, l210.location(LustreLayout.Item.OSP_IMPORT));
        assertTrue(l210.read(LustreLayout.Item.OSP_ATTR, "osp/lustrefs-OST0000-osc-MDT0000/kbytestotal") != null);
        assertEquals(LustreLayout.PROC, l210.location(LustreLayout.Item.OSP_ATTR));

        TestTrees.write(dir, "fs17", 2, true);
        LustreLayout l217 = new LustreLayout(new FileLustreTree(dir));
        assertTrue(l217.read(LustreLayout.Item.TARGET_OBD, "lod/fs17-MDT0000-mdtlov/target_obd") != null);
        assertEquals(LustreLayout.DEBUGFS, l217.location(LustreLayout.Item.TARGET_OBD));
        assertTrue(l217.read(LustreLayout.Item.OSP_ATTR, "osp/fs17-OST0000-osc-MDT0000/kbytestotal") != null);
        assertEquals(LustreLayout.SYSFS, l217.location(LustreLayout.Item.OSP_ATTR));
        assertEquals(null, l217.read(LustreLayout.Item.OSP_ATTR, "osp/fs17-OST0009-osc-MDT0000/kbytestotal"));
        assertEquals(LustreLayout.SYSFS, l217.location(LustreLayout.Item.OSP_ATTR), "a miss does not move the item");
    }

    @Test
    void layoutFollowsAFileThatMoves() throws IOException {
        Fixtures.put(dir, TestTrees.PROC + "lod/x-MDT0000-mdtlov/target_obd", "0: x-OST0000_UUID ACTIVE\n");
        LustreLayout l = new LustreLayout(new FileLustreTree(dir));
        assertTrue(l.read(LustreLayout.Item.TARGET_OBD, "lod/x-MDT0000-mdtlov/target_obd") != null);
        assertEquals(LustreLayout.PROC, l.location(LustreLayout.Item.TARGET_OBD));
        // upgraded to 2.17 under the running collector
        Files.delete(dir.resolve(TestTrees.PROC + "lod/x-MDT0000-mdtlov/target_obd"));
        Fixtures.put(dir, TestTrees.DBG + "lod/x-MDT0000-mdtlov/target_obd", "0: x-OST0000_UUID INACTIVE\n");
        assertEquals("0: x-OST0000_UUID INACTIVE\n", l.read(LustreLayout.Item.TARGET_OBD, "lod/x-MDT0000-mdtlov/target_obd"));
        assertEquals(LustreLayout.DEBUGFS, l.location(LustreLayout.Item.TARGET_OBD));
    }

    @Test
    void scansThe217Layout() {
        TestTrees.write(dir, "fs17", 2, true);
        LustreSnapshot s = new LustreScanner(new FileLustreTree(dir), 10, 0).scan(T0);
        assertEquals(List.of("fs17-MDT0000", "fs17-OST0000", "fs17-OST0001"), s.fileSystems().get("fs17").nodes());
        NodeState o1 = s.nodes().get("fs17-OST0001");
        assertEquals("FULL", o1.state());
        assertEquals("10.0.0.2@o2ib1", o1.nid(), "quoted 2.16+ NID");
        assertTrue(o1.responding());
        assertEquals("healthy", s.health());
        assertEquals(0, s.parseErrors());
    }

    @Test
    void unchangedTargetObdIsNotParsedAgainButAChangedOneIs() throws IOException {
        TestTrees.write(dir, "ua", 3, false);
        TestTrees.write(dir, "ub", 3, false);
        Path tobd = dir.resolve(TestTrees.PROC + "lod/ua-MDT0000-mdtlov/target_obd");
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 0);
        LustreSnapshot s1 = sc.scan(T0);                 // round robin reads ua-OST0000
        // The same bytes written again (a new mtime) change nothing a caller sees.
        Files.writeString(tobd, Files.readString(tobd));
        LustreSnapshot s2 = sc.scan(T0 + 5000);          // reads ua-OST0001
        assertEquals(0, s2.parseErrors());
        assertEquals(s1.nodesOf("ub"), s2.nodesOf("ub"), "nothing of ub changed");
        assertTrue(s2.nodes().get("ua-OST0002").active());

        Files.writeString(tobd, Files.readString(tobd).replace("2: ua-OST0002_UUID ACTIVE", "2: ua-OST0002_UUID INACTIVE"));
        LustreSnapshot s3 = sc.scan(T0 + 10_000);
        assertTrue(s3.nodes().get("ua-OST0002").active(), "the OSP does not say deactivated");
        assertFalse(s3.nodes().get("ua-OST0002").responding(), "a changed target_obd is parsed at once");
        List<TrapEvent> ev = StateChanges.diff(s2, s3);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals("ua-OST0002 not responding (INACTIVE)", ev.get(0).message());

        Files.writeString(tobd, "0: ua-OST0000_UUID ACTIVE\ngarbage\n");
        LustreSnapshot s4 = sc.scan(T0 + 15_000);
        assertEquals(1, s4.parseErrors(), "a changed file that does not parse is counted");
        LustreSnapshot s5 = sc.scan(T0 + 20_000);
        assertEquals(0, s5.parseErrors(), "the same garbage is not parsed (nor counted) again");
        assertTrue(s5.nodes().containsKey("ua-OST0001"), "its OSP device still lists it: garbage drops no target");
        assertTrue(s5.nodes().get("ua-OST0002").responding(), "nor keeps a stale INACTIVE: the flag left with the list");
    }

    @Test
    void unchangedTargetObdCostsOneReadAndNoTextRead() throws IOException {
        TestTrees.write(dir, "cnt", 4, false);
        FileLustreTree files = new FileLustreTree(dir);
        List<String> textReads = new ArrayList<>();
        List<String> byteReads = new ArrayList<>();
        LustreTree counting = new LustreTree() {
            @Override
            public String read(String path) throws IOException {
                textReads.add(path);
                return files.read(path);
            }

            @Override
            public byte[] readIfChanged(String path, byte[] previous) throws IOException {
                byteReads.add(path);
                return files.readIfChanged(path, previous);
            }

            @Override
            public List<String> list(String dir) throws IOException {
                return files.list(dir);
            }

            @Override
            public boolean exists(String path) {
                return files.exists(path);
            }
        };
        LustreScanner sc = new LustreScanner(counting, 1, 0);
        sc.scan(T0);
        sc.scan(T0 + 5000);
        assertEquals(List.of(TestTrees.PROC + "lod/cnt-MDT0000-mdtlov/target_obd",
                TestTrees.PROC + "lod/cnt-MDT0000-mdtlov/target_obd"),
                byteReads.stream().filter(p -> p.endsWith("target_obd")).toList());
        assertTrue(textReads.stream().noneMatch(p -> p.endsWith("target_obd")), textReads.toString());
    }

    @Test
    void roundRobinReadsEveryOstWithinCeilNOverBudgetScans() {
        TestTrees.write(dir, "rr", 5, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 2, 0);
        int[] withDetails = new int[3];
        for (int scan = 0; scan < 3; scan++) {
            LustreSnapshot s = sc.scan(T0 + scan * 5000L);
            withDetails[scan] = (int) s.nodes().values().stream()
                    .filter(n -> n.kind().equals("OST") && n.kbytesTotal() >= 0).count();
            // not yet read: unknown state, still responding (ACTIVE in target_obd)
            s.nodes().values().stream().filter(n -> n.kbytesTotal() < 0 && n.kind().equals("OST"))
                    .forEach(n -> {
                        assertEquals("", n.state());
                        assertTrue(n.responding());
                    });
        }
        assertEquals(2, withDetails[0]);
        assertEquals(4, withDetails[1]);
        assertEquals(5, withDetails[2]);
    }

    @Test
    void prioritizedTargetsAreReadBeforeTheRoundRobin() {
        TestTrees.write(dir, "pr", 5, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 0);
        sc.prioritize("pr-OST0003");
        sc.prioritize("pr-OST0004");
        sc.prioritize("not-a-target");
        LustreSnapshot s = sc.scan(T0);
        // one budget of prioritized targets, then one budget of round robin (OST0000)
        List<String> read = s.nodes().values().stream().filter(n -> n.kbytesTotal() >= 0).map(NodeState::name)
                .sorted().toList();
        assertEquals(2, read.size(), read.toString());
        assertTrue(read.contains("pr-OST0000"), read.toString());
        assertTrue(read.contains("pr-OST0003") || read.contains("pr-OST0004"), read.toString());
        LustreSnapshot s2 = sc.scan(T0 + 5000);
        assertTrue(s2.nodes().get("pr-OST0003").kbytesTotal() >= 0);
        assertTrue(s2.nodes().get("pr-OST0004").kbytesTotal() >= 0);
    }

    @Test
    void aNamedTargetIsReadBetweenScansAndNothingElseIs() {
        TestTrees.write(dir, "nm", 24, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 4);
        LustreSnapshot first = sc.scan(T0);
        assertEquals(null, sc.scanNamed(T0 + 100), "no target named: no read, no snapshot");
        TestTrees.writeOst(dir, "nm", 20, "DISCONN", false);
        TestTrees.writeOst(dir, "nm", 21, "DISCONN", false);
        assertTrue(sc.prioritize("nm-OST0014"));
        assertFalse(sc.prioritize("10.0.0.21@o2ib1"), "a NID is not a target");
        assertFalse(sc.prioritize("nm-MDT0000"), "served here: read by the scans");
        LustreSnapshot named = sc.scanNamed(T0 + 200);
        assertEquals(named, sc.last());
        assertEquals(List.of("nm-OST0014 not responding (state DISCONN)"),
                StateChanges.diff(first, named, sc::stateSince).stream().map(TrapEvent::message).toList());
        assertEquals(first.nodes().get("nm-OST0015"), named.nodes().get("nm-OST0015"), "disconnected too, not named: not read");
        assertEquals(first.nodes().get("nm-OST0016"), named.nodes().get("nm-OST0016"));
        assertEquals(null, sc.scanNamed(T0 + 300), "each name is read once");
    }

    @Test
    void localTargetsBeyondTheSweepsScansAreSpreadExceptOneInRecovery() {
        for (int f = 0; f < 10; f++) {
            TestTrees.write(dir, "l" + f, 1, false);
        }
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 4);
        sc.scan(T0);
        for (int f = 0; f < 10; f++) {
            Fixtures.put(dir, TestTrees.SYS + "mdt/l" + f + "-MDT0000/num_exports", "7\n");
        }
        Fixtures.put(dir, TestTrees.PROC + "mdt/l9-MDT0000/recovery_status",
                "status: RECOVERING\nrecovery_start: 1700000000\nconnected_clients: 1/3\nevicted_clients: 0\n");
        List<Long> seen = new ArrayList<>();
        for (int scan = 1; scan <= 4; scan++) {
            LustreSnapshot s = sc.scan(T0 + scan * 5000L);
            seen.add(s.nodes().values().stream().filter(n -> n.exports() == 7).count());
            if (scan == 1) {
                assertTrue(seen.get(0) >= 3 && seen.get(0) < 10, "10 local targets, 4 scans a sweep: " + seen);
            }
        }
        assertEquals(10L, seen.get(3), "every local target within the sweep: " + seen);
        Fixtures.put(dir, TestTrees.PROC + "mdt/l9-MDT0000/recovery_status",
                "status: COMPLETE\nrecovery_start: 1700000000\nrecovery_duration: 60\ncompleted_clients: 3/3\n");
        // l9 was read every scan while RECOVERING, and so the next scan sees it end.
        assertEquals("COMPLETE", sc.scan(T0 + 25_000).nodes().get("l9-MDT0000").recovery().status());
    }

    @Test
    void theSweepSeesASilentDisconnWithinSweepScansWhileTheRoundRobinLags() throws IOException {
        TestTrees.write(dir, "sw", 24, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 4);   // 6 connections a scan
        LustreSnapshot prev = sc.scan(T0);
        // No kernel log, no prioritize: only the tree says it. The round robin (1 a scan) would
        // need up to 24 scans; the sweep reads every connection within 4.
        TestTrees.writeOst(dir, "sw", 20, "DISCONN", false);
        int scans = 0;
        List<TrapEvent> ev = List.of();
        while (ev.isEmpty() && scans < 24) {
            scans++;
            LustreSnapshot s = sc.scan(T0 + scans * 5000L);
            ev = StateChanges.diff(prev, s, sc::stateSince);
            prev = s;
        }
        assertTrue(scans <= 4, "seen after " + scans + " scans");
        assertEquals(List.of("sw-OST0014 not responding (state DISCONN)"), ev.stream().map(TrapEvent::message).toList());
        assertEquals(Category.CRITICAL, ev.get(0).category());
        assertTrue(prev.nodes().get("sw-OST0017").kbytesTotal() < 0,
                "the sweep reads no space: OST0017 waits for the round robin");
    }

    @Test
    void aServerUuidLineOtherThanTheOneItsStatePrintsIsStillRead() throws IOException {
        // The sweep compares each ost_server_uuid file with the line its last state prints
        // ("<target uuid>\t<state>\n"); a line naming another uuid never matches, and must
        // still give the state at every read, DEACTIVATED included.
        TestTrees.write(dir, "su", 2, false);
        String file = TestTrees.DBG + "osp/" + TestTrees.osp("su", 1) + "/ost_server_uuid";
        Fixtures.put(dir, file, "elsewhere_UUID\tFULL\n");
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 1);
        assertEquals("FULL", sc.scan(T0).nodes().get("su-OST0001").state());
        assertEquals("FULL", sc.scan(T0 + 5_000).nodes().get("su-OST0001").state());
        Fixtures.put(dir, file, "elsewhere_UUID\tDISCONN\n");
        assertEquals("DISCONN", sc.scan(T0 + 10_000).nodes().get("su-OST0001").state());
        Fixtures.put(dir, file, "elsewhere_UUID\tDISCONN\tDEACTIVATED\n");
        NodeState n = sc.scan(T0 + 15_000).nodes().get("su-OST0001");
        assertFalse(n.active(), "DEACTIVATED read from the line");
        assertTrue(n.responding(), "a deactivated target is not a lost connection");
        Fixtures.put(dir, file, "su-OST0001_UUID\tFULL\n");
        NodeState back = sc.scan(T0 + 20_000).nodes().get("su-OST0001");
        assertTrue(back.active());
        assertEquals("FULL", back.state());
    }

    @Test
    void carriesFiguresForwardForOstsNotReadThisScan() throws IOException {
        TestTrees.write(dir, "cf", 2, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 0);
        sc.scan(T0);                       // reads OST0000
        Files.writeString(dir.resolve(TestTrees.SYS + "osp/cf-OST0000-osc-MDT0000/kbytesfree"), "10\n");
        LustreSnapshot s2 = sc.scan(T0 + 5000);   // reads OST0001 only
        assertEquals(600, s2.nodes().get("cf-OST0000").kbytesFree(), "carried forward");
        assertEquals(T0, s2.nodes().get("cf-OST0000").updatedMillis());
        LustreSnapshot s3 = sc.scan(T0 + 10_000); // OST0000 again
        assertEquals(10, s3.nodes().get("cf-OST0000").kbytesFree());
        List<TrapEvent> ev = StateChanges.diff(s2, s3);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals(Category.WARNING, ev.get(0).category());
        assertEquals("cf-OST0000", ev.get(0).node());
    }

    @Test
    void vanishingFilesAndGarbageAreCountedNotFatal() throws IOException {
        TestTrees.write(dir, "bad", 4, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 10, 0);
        LustreSnapshot s1 = sc.scan(T0);
        assertEquals(0, s1.parseErrors());
        Files.writeString(dir.resolve(TestTrees.SYS + "osp/bad-OST0001-osc-MDT0000/kbytesfree"), "garbage\n");
        Files.writeString(dir.resolve(TestTrees.DBG + "osp/bad-OST0002-osc-MDT0000/ost_server_uuid"), "bad-OST0002_UUID\t???\n");
        deleteTree(dir.resolve(TestTrees.SYS + "osp/bad-OST0003-osc-MDT0000"));
        deleteTree(dir.resolve(TestTrees.DBG + "osp/bad-OST0003-osc-MDT0000"));
        LustreSnapshot s2 = sc.scan(T0 + 5000);
        assertEquals(2, s2.parseErrors(), "the garbage; a vanished OSP directory is not an error, just gone");
        assertEquals(4, s2.nodes().values().stream().filter(n -> n.kind().equals("OST")).count());
        assertEquals(600, s2.nodes().get("bad-OST0001").kbytesFree(), "previous figure kept");
        assertEquals("FULL", s2.nodes().get("bad-OST0002").state(), "previous state kept");
        assertEquals(1000, s2.nodes().get("bad-OST0003").kbytesTotal(), "vanished OST keeps its figures");
        assertEquals(T0 + 5000, s2.nodes().get("bad-OST0000").updatedMillis());
        assertTrue(sc.totalParseErrors() >= 2);

        // garbage where the OST list comes from: the OSP devices still list the OSTs, the scan goes on;
        // OST0003, whose OSP directories are gone and which no list names any more, leaves
        Files.writeString(dir.resolve(TestTrees.PROC + "lod/bad-MDT0000-mdtlov/target_obd"), "\u0000\u0001garbage");
        Files.writeString(dir.resolve(TestTrees.SYS + "health_check"), "whatever\n");
        LustreSnapshot s3 = sc.scan(T0 + 10_000);
        assertTrue(s3.parseErrors() >= 2);
        assertEquals(List.of("bad-MDT0000", "bad-OST0000", "bad-OST0001", "bad-OST0002"),
                s3.fileSystems().get("bad").nodes());
    }

    @Test
    void unreadableFilesAreSkippedNotThrown() {
        TestTrees.write(dir, "io", 2, false);
        FileLustreTree real = new FileLustreTree(dir);
        LustreTree flaky = new LustreTree() {
            @Override
            public String read(String path) throws IOException {
                if (path.contains("OST0001")) {
                    throw new IOException("Input/output error");
                }
                return real.read(path);
            }

            @Override
            public List<String> list(String d) throws IOException {
                return real.list(d);
            }

            @Override
            public boolean exists(String path) {
                return real.exists(path);
            }
        };
        LustreSnapshot s = new LustreScanner(flaky, 10, 0).scan(T0);
        assertEquals(1000, s.nodes().get("io-OST0000").kbytesTotal());
        assertEquals(-1, s.nodes().get("io-OST0001").kbytesTotal());
        assertTrue(s.readErrors() >= 1);
        assertEquals(0, s.parseErrors());
    }

    @Test
    void absentTreeGivesAnEmptySnapshot() {
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir.resolve("nothing")), 10, 0);
        for (int i = 0; i < 3; i++) {
            LustreSnapshot s = sc.scan(T0 + i);
            assertTrue(s.fileSystems().isEmpty());
            assertTrue(s.nodes().isEmpty());
            assertEquals("", s.health());
            assertEquals(0, s.parseErrors());
            assertEquals(T0 + i, s.scanMillis());
        }
        assertEquals(Optional.empty(), sc.refresh("x-OST0000", T0));
    }

    @Test
    void aTreeThatVanishesForgetsItsTargets() throws IOException {
        Path root = dir.resolve("mounted");
        TestTrees.write(root, "gone", 2, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(root), 10, 0);
        assertEquals(2, sc.scan(T0).nodes().keySet().stream().filter(n -> n.contains("OST")).count());
        Files.move(root, dir.resolve("unmounted"));
        assertTrue(sc.scan(T0 + 1000).nodes().isEmpty());
        assertFalse(sc.prioritize("gone-OST0001"), "a target of the vanished tree is no longer asked for");
        assertEquals(Optional.empty(), sc.refresh("gone-OST0001", T0 + 2000));
    }

    @Test
    void refreshReadsOneNodeNowAndKeepsIt() throws IOException {
        TestTrees.write(dir, "rf", 5, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 0);
        sc.scan(T0);
        assertEquals(-1, sc.last().nodes().get("rf-OST0004").kbytesTotal());
        TestTrees.writeOst(dir, "rf", 4, "EVICTED", false);
        Optional<NodeState> n = sc.refresh("rf-OST0004", T0 + 1000);
        assertTrue(n.isPresent());
        assertEquals("EVICTED", n.get().state());
        assertFalse(n.get().responding());
        assertEquals(1000, n.get().kbytesTotal());
        assertEquals(T0 + 1000, n.get().updatedMillis());
        // the next scan carries the refreshed figures
        assertEquals("EVICTED", sc.scan(T0 + 5000).nodes().get("rf-OST0004").state());
        // a fresh deactivation counts in refresh: lctl set_param osp.*.active=0 writes active 0 and
        // the server_uuid line's DEACTIVATED column (both print the import's imp_deactive)
        Files.writeString(dir.resolve(TestTrees.SYS + "osp/rf-OST0002-osc-MDT0000/active"), "0\n");
        Files.writeString(dir.resolve(TestTrees.DBG + "osp/rf-OST0002-osc-MDT0000/ost_server_uuid"),
                "rf-OST0002_UUID\tFULL\tDEACTIVATED\n");
        assertFalse(sc.refresh("rf-OST0002", T0 + 6000).get().active());
        assertEquals("MDT", sc.refresh("rf-MDT0000", T0).get().kind());
        assertEquals(Optional.empty(), sc.refresh("rf-OST0099", T0));
    }

    @Test
    void unhealthyNodeNamesTheDevicesFromTheDebugfsTwin() throws IOException {
        TestTrees.write(dir, "hc", 1, false);
        Files.writeString(dir.resolve(TestTrees.SYS + "health_check"), "NOT HEALTHY\n");
        Files.writeString(dir.resolve(TestTrees.DBG + "health_check"), "device hc-OST0000 reported unhealthy\n");
        LustreSnapshot s = new LustreScanner(new FileLustreTree(dir), 10, 0).scan(T0);
        assertEquals("NOT HEALTHY (unhealthy devices: hc-OST0000)", s.health());
        assertFalse(s.nodes().get("hc-MDT0000").responding());
        List<TrapEvent> ev = StateChanges.diff(LustreSnapshot.EMPTY, s);
        assertTrue(ev.stream().anyMatch(e -> e.category() == Category.FATAL && e.node().equals("hc-MDT0000")), ev.toString());
    }

    @Test
    void aConnectionChangeSeenByTheSweepBringsTheWholeTargetAtTheNextScan() throws IOException {
        TestTrees.write(dir, "fo", 10, false);
        // One target in full a scan, every connection every scan.
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 1);
        long t = T0;
        for (int i = 0; i < 10; i++) {
            sc.scan(t += 5000);
        }
        assertEquals("10.0.0.6@o2ib1", sc.scan(t += 5000).nodes().get("fo-OST0005").nid());
        // A failover: the import reconnects to the partner OSS, a new NID. The round robin is at
        // the start of its list and would come to OST0005 only five scans later.
        Files.writeString(dir.resolve(TestTrees.DBG + "osp/fo-OST0005-osc-MDT0000/ost_server_uuid"),
                "fo-OST0005_UUID\tREPLAY\n");
        Files.writeString(dir.resolve(TestTrees.SYS + "osp/fo-OST0005-osc-MDT0000/ost_conn_uuid"), "10.0.1.6@o2ib1\n");
        assertEquals("REPLAY", sc.scan(t += 5000).nodes().get("fo-OST0005").state(), "the sweep sees the state");
        assertEquals("10.0.1.6@o2ib1", sc.scan(t += 5000).nodes().get("fo-OST0005").nid(),
                "read in full at the next scan");
    }

    @Test
    void aDeactivationIsAWarningAtTheFirstScanThatSeesItNotALostConnection() throws IOException {
        TestTrees.write(dir, "da", 10, false);
        // A slow round robin and sweep: neither would come to OST0005 in the next scan.
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 1, 12);
        long t = T0;
        LustreSnapshot before = null;
        for (int i = 0; i < 3; i++) {
            before = sc.scan(t += 5000);
        }
        // lctl --device da-OST0005-osc-MDT0000 deactivate: the OSP, its import and the LOD at once.
        Files.writeString(dir.resolve(TestTrees.SYS + "osp/da-OST0005-osc-MDT0000/active"), "0\n");
        Files.writeString(dir.resolve(TestTrees.DBG + "osp/da-OST0005-osc-MDT0000/ost_server_uuid"),
                "da-OST0005_UUID\tFULL\tDEACTIVATED\n");
        Path obd = dir.resolve(TestTrees.PROC + "lod/da-MDT0000-mdtlov/target_obd");
        Files.writeString(obd, Files.readString(obd).replace("da-OST0005_UUID ACTIVE", "da-OST0005_UUID INACTIVE"));
        LustreSnapshot after = sc.scan(t += 5000);
        NodeState n = after.nodes().get("da-OST0005");
        assertFalse(n.active());
        assertTrue(n.responding(), "deactivated, not lost");
        List<TrapEvent> ev = StateChanges.diff(before, after, sc::stateSince);
        assertEquals(List.of("da-OST0005 deactivated by the administrator (INACTIVE)"),
                ev.stream().map(TrapEvent::message).toList());
        assertEquals(Category.WARNING, ev.get(0).category());
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
