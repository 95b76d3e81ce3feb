package org.lustre.collector.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lustre.collector.trap.Category;

class SimulatedTreeTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Pattern TARGET_OBD_LINE = Pattern.compile("\\d+: \\S+_UUID (IN)?ACTIVE");
    private static final Pattern STATE_HISTORY_LINE = Pattern.compile(" - \\[ \\d+, [A-Z_]+ \\]");
    private static final Pattern SERVER_UUID = Pattern.compile("\\S+_UUID\t[A-Z_]+(\tDEACTIVATED)?\n");
    private static final Pattern KMSG_RECORD = Pattern.compile("(\\d+),(\\d+),(\\d+),[^;]*;(.*)");

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(T0);

    private SimulatedTree create(int fs, int osts, String layout) throws IOException {
        return SimulatedTree.create(dir, fs, osts, layout, clock::get, SimulatedTree.Shape.PLAIN);
    }

    private String read(String rel) throws IOException {
        return Files.readString(dir.resolve(rel));
    }

    private static String fixture(String rel) throws IOException {
        try (InputStream in = SimulatedTreeTest.class.getResourceAsStream("/fixtures/lustre/" + rel)) {
            assertTrue(in != null, "missing fixture " + rel);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The "key:" names of a YAML-like import block, in order, values stripped. */
    private static List<String> importKeys(String text) {
        List<String> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.trim();
            int c = t.indexOf(':');
            if (c > 0 && !t.startsWith("\"")) {
                keys.add(t.substring(0, c));
            }
        }
        return keys;
    }

    /** Every file of the tree (relative path -> content), symlinks as their target. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    m.put(rel, Files.readString(p));
                }
            }
        }
        return m;
    }

    private static Set<String> changed(Map<String, String> before, Map<String, String> after) {
        Set<String> out = new TreeSet<>();
        for (String k : after.keySet()) {
            if (!after.get(k).equals(before.get(k))) {
                out.add(k);
            }
        }
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                out.add(k + " (removed)");
            }
        }
        return out;
    }

    private List<String> kmsgLines() throws IOException {
        return read("kmsg").lines().collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ formats

    @Test
    void realFixturesMatchTheShapesTheTestsCheck() throws IOException {
        String base = "hpe-2.10.1/proc/fs/lustre/";
        for (String l : fixture(base + "lod/lustrefs-MDT0000-mdtlov/target_obd").split("\n")) {
            assertTrue(TARGET_OBD_LINE.matcher(l).matches(), l);
        }
        String state = fixture(base + "osp/lustrefs-OST0001-osc-MDT0000/state");
        assertTrue(state.startsWith("current_state: FULL\nstate_history:\n"));
        state.lines().skip(2).forEach(l -> assertTrue(STATE_HISTORY_LINE.matcher(l).matches(), l));
        assertTrue(SERVER_UUID.matcher(fixture(base + "osp/lustrefs-OST0001-osc-MDT0000/ost_server_uuid")).matches());
        fixture("kmsg/constructed/dev-kmsg-records.txt").lines().filter(l -> !l.startsWith(" "))
                .forEach(l -> assertTrue(KMSG_RECORD.matcher(l).matches(), l));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.10", "2.15", "2.17"})
    void createsEveryFileAtItsPlaceInTheRealFormat(String layout) throws IOException {
        SimulatedTree tree = create(2, 16, layout);
        assertEquals(List.of("fs00", "fs01"), tree.fileSystems());
        assertEquals(8, tree.ostCount("fs01"));
        assertEquals(layout, tree.layout());

        boolean v210 = layout.equals("2.10");
        boolean v217 = layout.equals("2.17");
        String attr = (v210 ? "proc/fs/lustre/" : "sys/fs/lustre/") + "osp/fs01-OST0003-osc-MDT0000/";
        String imp = (v210 ? "proc/fs/lustre/" : "sys/kernel/debug/lustre/") + "osp/fs01-OST0003-osc-MDT0000/";
        String obd = (v217 ? "sys/kernel/debug/lustre/" : "proc/fs/lustre/") + "lod/fs01-MDT0000-mdtlov/target_obd";
        String lod = (v210 ? "proc/fs/lustre/" : "sys/fs/lustre/") + "lod/fs01-MDT0000-mdtlov/";
        String mgs = (v210 ? "proc/fs/lustre/" : "sys/kernel/debug/lustre/") + "mgs/MGS/filesystems";

        assertEquals("1\n", read(attr + "active"));
        assertEquals("47168408576\n", read(attr + "kbytestotal"));
        assertEquals("1474012704\n", read(attr + "filestotal"));
        assertEquals("fs01-MDT0000-mdtlov_UUID\n", read(attr + "uuid"));
        assertEquals("0\n", read(attr + "prealloc_status"));
        assertEquals(tree.nid("fs01", 3) + "\n", read(attr + "ost_conn_uuid"));
        assertEquals("10.1.0.2@o2ib1", tree.nid("fs01", 3));
        long free = Long.parseLong(read(attr + "kbytesfree").trim());
        long avail = Long.parseLong(read(attr + "kbytesavail").trim());
        assertEquals(free - 40_960, avail);
        assertTrue(free < 47_168_408_576L);
        assertEquals("fs01-OST0003_UUID\tFULL\n", read(imp + "ost_server_uuid"));
        String state = read(imp + "state");
        assertTrue(state.startsWith("current_state: FULL\nstate_history:\n"), state);
        state.lines().skip(2).forEach(l -> assertTrue(STATE_HISTORY_LINE.matcher(l).matches(), l));

        String importText = read(imp + "import");
        List<String> realKeys = importKeys(fixture("hpe-2.10.1/proc/fs/lustre/osp/lustrefs-OST0001-osc-MDT0000/import"));
        List<String> keys = importKeys(importText);
        if (v217) {
            List<String> want = new ArrayList<>(realKeys);
            want.add(want.indexOf("failover_nids") + 1, "nids_stats");
            want.add(want.indexOf("in-progress_invalidations") + 1, "idle");
            assertEquals(want, keys);
            assertTrue(importText.contains("failover_nids: [ \"10.1.0.2@o2ib1\", \"10.1.0.1@o2ib1\" ]"), importText);
            assertTrue(importText.contains("current_connection: \"10.1.0.2@o2ib1\""), importText);
        } else {
            assertEquals(realKeys, keys);
            assertTrue(importText.contains("failover_nids: [ 10.1.0.2@o2ib1, 10.1.0.1@o2ib1 ]"), importText);
        }
        assertTrue(importText.startsWith("import:\n    name: fs01-OST0003-osc-MDT0000\n    target: fs01-OST0003_UUID\n"
                + "    state: FULL\n"), importText);

        String targetObd = read(obd);
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            want.append(i).append(": fs01-OST000").append(i).append("_UUID ACTIVE\n");
        }
        assertEquals(want.toString(), targetObd);
        targetObd.lines().forEach(l -> assertTrue(TARGET_OBD_LINE.matcher(l).matches(), l));
        assertEquals("8\n", read(lod + "numobd"));
        assertEquals("8\n", read(lod + "activeobd"));
        assertEquals("fs01-MDT0000-mdtlov_UUID\n", read(lod + "uuid"));
        assertEquals(8 * 47_168_408_576L + "\n", read(lod + "kbytestotal"));
        assertEquals("fs00\nfs01\n", read(mgs));
        assertTrue(read("proc/fs/lustre/mgs/MGS/live/fs01").startsWith("fsname: fs01\nflags: 0x20     gen: "));
        assertEquals("healthy\n", read("sys/fs/lustre/health_check"));
        assertTrue(read("proc/sys/kernel/random/boot_id").matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n"));
        assertTrue(read("proc/uptime").matches("\\d+\\.\\d\\d \\d+\\.\\d\\d\n"), read("proc/uptime"));
        assertEquals("", read("traps.log"));
        List<String> kmsg = kmsgLines();
        assertEquals(1, kmsg.size());
        assertTrue(kmsg.get(0).matches("6,1,\\d+,-;Lustre: Lustre: Build Version: " + layout + "\\.\\d+"), kmsg.get(0));

        // Nothing at the places of the other versions.
        assertEquals(v210, Files.exists(dir.resolve("proc/fs/lustre/osp")));
        assertEquals(!v210, Files.exists(dir.resolve("sys/kernel/debug/lustre/osp/fs01-OST0003-osc-MDT0000/import")));
        assertEquals(!v217, Files.exists(dir.resolve("proc/fs/lustre/lod/fs01-MDT0000-mdtlov/target_obd")));
        assertEquals(v210, Files.isSymbolicLink(dir.resolve("proc/fs/lustre/lov/fs01-MDT0000-mdtlov")));
        if (v210) {
            assertEquals(read("proc/fs/lustre/lod/fs01-MDT0000-mdtlov/target_obd"),
                    read("proc/fs/lustre/lov/fs01-MDT0000-mdtlov/target_obd"));
        }
        int perOst = 12;
        assertEquals(16 * perOst, snapshot().keySet().stream().filter(k -> k.contains("-osc-MDT0000/")).count());
    }

    @Test
    void oneFileSystemIsTestfsAndIndicesAreHex() throws IOException {
        SimulatedTree tree = create(1, 12, "2.15");
        assertEquals(List.of("testfs"), tree.fileSystems());
        assertEquals("testfs-OST000a", SimulatedTree.targetName("testfs", 10));
        assertEquals("testfs-OST000b_UUID\tFULL\n",
                read("sys/kernel/debug/lustre/osp/testfs-OST000b-osc-MDT0000/ost_server_uuid"));
        assertTrue(read("proc/fs/lustre/lod/testfs-MDT0000-mdtlov/target_obd").endsWith("11: testfs-OST000b_UUID ACTIVE\n"));
    }

    @Test
    void spreadsOstsEvenlyAndOverFourNetworks() throws IOException {
        SimulatedTree tree = create(3, 100, "2.15");
        assertEquals(34, tree.ostCount("fs00"));
        assertEquals(33, tree.ostCount("fs02"));
        assertEquals(100, tree.totalOsts());
        assertEquals(List.of("o2ib1", "o2ib2", "o2ib3", "o2ib4"), tree.networks("fs00"));
        assertEquals("o2ib1", tree.network("fs00", 0));
        assertEquals("o2ib1", tree.network("fs00", 3));
        assertEquals("o2ib2", tree.network("fs00", 4));
        assertTrue(tree.nid("fs02", 4).endsWith("@o2ib2") && tree.nid("fs02", 4).startsWith("10.2."));
    }

    @Test
    void rejectsBadArguments() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> create(0, 1, "2.15"));
        assertThrows(IllegalArgumentException.class, () -> create(2, 1, "2.15"));
        assertThrows(IllegalArgumentException.class, () -> create(1, 1, "2.13"));
        SimulatedTree tree = create(1, 4, "2.15");
        assertThrows(IllegalArgumentException.class, () -> tree.ostDown("nope", 1));
        assertThrows(IllegalArgumentException.class, () -> tree.ostDown("testfs", 4));
        assertThrows(IllegalArgumentException.class, () -> tree.fill("testfs", 1, 101));
        assertThrows(IllegalArgumentException.class, () -> tree.routerFailure("testfs", "o2ib7"));
        assertThrows(IllegalArgumentException.class, () -> SimulatedTree.create(dir, 1, 4, "2.15"));
    }

    // ------------------------------------------------------------------ mutations

    @ParameterizedTest
    @ValueSource(strings = {"2.10", "2.15", "2.17"})
    void ostDownAndUpChangeExactlyTheImportFiles(String layout) throws IOException {
        SimulatedTree tree = create(2, 16, layout);
        String imp = (layout.equals("2.10") ? "proc/fs/lustre/" : "sys/kernel/debug/lustre/")
                + "osp/fs00-OST0005-osc-MDT0000/";
        String obd = (layout.equals("2.17") ? "sys/kernel/debug/lustre/" : "proc/fs/lustre/")
                + "lod/fs00-MDT0000-mdtlov/target_obd";
        Map<String, String> before = snapshot();
        clock.addAndGet(60_000);
        assertTrue(tree.ostDown("fs00", 5));
        Map<String, String> after = snapshot();
        assertEquals(Set.of(imp + "import", imp + "state", imp + "ost_server_uuid", "kmsg", "proc/uptime"),
                changed(before, after));
        long sec = (T0 + 60_000) / 1000;
        assertTrue(after.get(imp + "state").startsWith("current_state: DISCONN\nstate_history:\n"));
        assertTrue(after.get(imp + "state").endsWith(" - [ " + sec + ", DISCONN ]\n"), after.get(imp + "state"));
        assertTrue(after.get(imp + "import").contains("\n    state: DISCONN\n"));
        assertEquals("fs00-OST0005_UUID\tDISCONN\n", after.get(imp + "ost_server_uuid"));
        assertTrue(after.get(obd).contains("5: fs00-OST0005_UUID ACTIVE\n"), "a lost connection keeps ACTIVE");
        String last = kmsgLines().get(kmsgLines().size() - 1);
        var m = KMSG_RECORD.matcher(last);
        assertTrue(m.matches(), last);
        assertEquals("4", m.group(1));
        assertEquals("2", m.group(2));
        assertEquals(String.valueOf((60_000L + 3L * 86_400_000L + 4_242_170L) * 1000), m.group(3), "usec since boot");
        assertEquals("Lustre: fs00-OST0005-osc-MDT0000: Connection to fs00-OST0005 (at " + tree.nid("fs00", 5)
                + ") was lost; in progress operations using this service will wait for recovery to complete", m.group(4));
        assertTrue(tree.isDown("fs00", 5));
        assertFalse(tree.ostDown("fs00", 5), "already down");

        clock.addAndGet(30_000);
        before = snapshot();
        assertTrue(tree.ostUp("fs00", 5));
        after = snapshot();
        assertEquals(Set.of(imp + "import", imp + "state", imp + "ost_server_uuid", "kmsg", "proc/uptime"),
                changed(before, after));
        assertTrue(after.get(imp + "state").endsWith(" - [ " + (sec + 30) + ", CONNECTING ]\n - [ " + (sec + 30)
                + ", FULL ]\n"));
        assertEquals("fs00-OST0005_UUID\tFULL\n", after.get(imp + "ost_server_uuid"));
        String restored = kmsgLines().get(kmsgLines().size() - 1);
        String to = layout.equals("2.10") ? "fs00-OST0005" : tree.nid("fs00", 5);
        assertTrue(restored.startsWith("6,3,") && restored.endsWith(";Lustre: fs00-OST0005-osc-MDT0000: Connection"
                + " restored to " + to + " (at " + tree.nid("fs00", 5) + ")"), restored);
        assertFalse(tree.isDown("fs00", 5));
        assertTrue(after.keySet().stream().noneMatch(k -> k.endsWith(".sim-tmp")), "no temporary files left");
    }

    @Test
    void stateHistoryKeepsSixteenEntries() throws IOException {
        SimulatedTree tree = create(1, 2, "2.15");
        for (int k = 0; k < 20; k++) {
            clock.addAndGet(1000);
            tree.ostDown("testfs", 1);
            tree.ostUp("testfs", 1);
        }
        String state = read("sys/kernel/debug/lustre/osp/testfs-OST0001-osc-MDT0000/state");
        assertEquals(16, state.lines().filter(l -> STATE_HISTORY_LINE.matcher(l).matches()).count());
        assertTrue(state.startsWith("current_state: FULL\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.10", "2.15", "2.17"})
    void deactivateMarksTargetObdInactive(String layout) throws IOException {
        SimulatedTree tree = create(2, 16, layout);
        boolean v210 = layout.equals("2.10");
        String attr = (v210 ? "proc/fs/lustre/" : "sys/fs/lustre/") + "osp/fs01-OST0002-osc-MDT0000/";
        String imp = (v210 ? "proc/fs/lustre/" : "sys/kernel/debug/lustre/") + "osp/fs01-OST0002-osc-MDT0000/";
        String obd = (layout.equals("2.17") ? "sys/kernel/debug/lustre/" : "proc/fs/lustre/")
                + "lod/fs01-MDT0000-mdtlov/target_obd";
        String lod = (v210 ? "proc/fs/lustre/" : "sys/fs/lustre/") + "lod/fs01-MDT0000-mdtlov/";
        Map<String, String> before = snapshot();
        clock.addAndGet(1000);
        assertTrue(tree.deactivate("fs01", 2));
        Map<String, String> after = snapshot();
        assertEquals(Set.of(attr + "active", imp + "ost_server_uuid", obd, lod + "activeobd", "kmsg", "proc/uptime"),
                changed(before, after));
        assertEquals("0\n", after.get(attr + "active"));
        assertEquals("fs01-OST0002_UUID\tFULL\tDEACTIVATED\n", after.get(imp + "ost_server_uuid"));
        assertTrue(SERVER_UUID.matcher(after.get(imp + "ost_server_uuid")).matches());
        assertTrue(after.get(obd).contains("\n2: fs01-OST0002_UUID INACTIVE\n3: fs01-OST0003_UUID ACTIVE\n"));
        after.get(obd).lines().forEach(l -> assertTrue(TARGET_OBD_LINE.matcher(l).matches(), l));
        assertEquals("7\n", after.get(lod + "activeobd"));
        assertTrue(kmsgLines().get(1).endsWith(";Lustre: setting import fs01-OST0002_UUID INACTIVE by administrator"
                + " request"));
        assertFalse(tree.isActive("fs01", 2));

        assertTrue(tree.activate("fs01", 2));
        Map<String, String> back = snapshot();
        assertEquals(before.get(obd), back.get(obd));
        assertEquals("8\n", back.get(lod + "activeobd"));
        assertEquals("fs01-OST0002_UUID\tFULL\n", back.get(imp + "ost_server_uuid"));
        assertEquals(2, kmsgLines().size(), "activation logs nothing on the console");
    }

    @Test
    void fillChangesOstAndLodSpace() throws IOException {
        SimulatedTree tree = create(2, 16, "2.15");
        String attr = "sys/fs/lustre/osp/fs00-OST0001-osc-MDT0000/";
        String lod = "sys/fs/lustre/lod/fs00-MDT0000-mdtlov/";
        Map<String, String> before = snapshot();
        tree.fill("fs00", 1, 97);
        Map<String, String> after = snapshot();
        assertEquals(Set.of(attr + "kbytesfree", attr + "kbytesavail", lod + "kbytesfree", lod + "kbytesavail"),
                changed(before, after));
        assertEquals(97, tree.percentUsed("fs00", 1));
        long oldFree = Long.parseLong(before.get(attr + "kbytesfree").trim());
        long newFree = Long.parseLong(after.get(attr + "kbytesfree").trim());
        assertEquals(Long.parseLong(before.get(lod + "kbytesfree").trim()) - oldFree + newFree,
                Long.parseLong(after.get(lod + "kbytesfree").trim()));
        tree.fill("fs00", 1, 100);
        assertEquals("0\n", read(attr + "kbytesfree"));
        assertEquals("0\n", read(attr + "kbytesavail"));
        assertEquals("-28\n", read(attr + "prealloc_status"));
    }

    @Test
    void healthWritesHealthCheckOnly() throws IOException {
        SimulatedTree tree = create(1, 2, "2.17");
        Map<String, String> before = snapshot();
        tree.health("NOT HEALTHY");
        Map<String, String> after = snapshot();
        assertEquals(Set.of("sys/fs/lustre/health_check"), changed(before, after));
        assertEquals("NOT HEALTHY\n", after.get("sys/fs/lustre/health_check"));
    }

    @Test
    void routerFailureDisconnectsOneNetworkWithOneRecordEach() throws IOException {
        SimulatedTree tree = create(2, 32, "2.15");
        tree.ostDown("fs01", 4); // already down: no second record
        int before = kmsgLines().size();
        clock.addAndGet(5_000);
        int n = tree.routerFailure("fs01", "o2ib2");
        List<Integer> onNet = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (tree.network("fs01", i).equals("o2ib2")) {
                onNet.add(i);
            }
        }
        assertEquals(4, onNet.size());
        assertEquals(onNet.size() - 1, n);
        List<String> records = kmsgLines().subList(before, kmsgLines().size());
        assertEquals(n, records.size());
        long prevSeq = -1;
        long firstUsec = -1;
        for (String r : records) {
            var m = KMSG_RECORD.matcher(r);
            assertTrue(m.matches(), r);
            long seq = Long.parseLong(m.group(2));
            long usec = Long.parseLong(m.group(3));
            assertTrue(prevSeq < 0 || seq == prevSeq + 1, r);
            if (firstUsec < 0) {
                firstUsec = usec;
            }
            assertTrue(usec - firstUsec < 1_000_000, "within one second: " + r);
            assertTrue(m.group(4).matches("Lustre: fs01-OST\\p{XDigit}{4}-osc-MDT0000: Connection to fs01-OST\\p{XDigit}{4}"
                    + " \\(at 10\\.1\\.\\d+\\.\\d+@o2ib2\\) was lost; in progress operations using this service will wait"
                    + " for recovery to complete"), r);
            prevSeq = seq;
        }
        long sec = clock.get() / 1000;
        for (int i = 0; i < 16; i++) {
            assertEquals(onNet.contains(i), tree.isDown("fs01", i), "OST " + i);
            if (onNet.contains(i) && i != 4) {
                assertTrue(read("sys/kernel/debug/lustre/osp/" + Topology.ospName("fs01", i) + "/state")
                        .endsWith(" - [ " + sec + ", DISCONN ]\n"));
            }
        }
        for (int i = 0; i < 16; i++) {
            assertFalse(tree.isDown("fs00", i), "other file system untouched");
        }
        assertEquals(4, tree.routerRestore("fs01", "2"));
        for (int i = 0; i < 16; i++) {
            assertFalse(tree.isDown("fs01", i));
        }
    }

    @Test
    void trapLinesHaveSixTabFields() throws IOException {
        SimulatedTree tree = create(1, 2, "2.15");
        tree.appendTrap(Category.WARNING, "testfs", "testfs-OST0001", "slow\tI/O\non it");
        clock.addAndGet(1_234);
        tree.appendTrap(Category.INFO, "testfs", "testfs-OST0000", "recovered");
        List<String> lines = read("traps.log").lines().collect(Collectors.toList());
        assertEquals(2, lines.size());
        String[] f = lines.get(0).split("\t", -1);
        assertEquals(6, f.length, lines.get(0));
        assertEquals("1700000000.000", f[1]);
        assertEquals("Warning", f[2]);
        assertEquals("testfs", f[3]);
        assertEquals("testfs-OST0001", f[4]);
        assertEquals("slow I/O on it", f[5]);
        String[] g = lines.get(1).split("\t", -1);
        assertEquals(6, g.length);
        assertEquals("1700000001.234", g[1]);
        assertEquals("Info", g[2]);
        assertFalse(f[0].equals(g[0]), "ids differ");
    }

    @Test
    void openReadsTheTreeBackAndContinuesTheKmsgSequence() throws IOException {
        SimulatedTree a = create(3, 30, "2.17");
        a.ostDown("fs02", 7);
        a.appendKmsg("LustreError: 11-0: fs02-OST0007-osc-MDT0000: operation ost_connect to node 10.2.0.4@o2ib4"
                + " failed: rc = -19");
        SimulatedTree b = SimulatedTree.open(dir, clock::get);
        assertEquals("2.17", b.layout());
        assertEquals(a.fileSystems(), b.fileSystems());
        assertEquals(10, b.ostCount("fs01"));
        assertTrue(b.isDown("fs02", 7));
        assertEquals(a.nid("fs02", 7), b.nid("fs02", 7));
        assertEquals(4, b.nextKmsgSeq());
        b.appendKmsg("Lustre: hello");
        List<String> k = kmsgLines();
        assertTrue(k.get(2).startsWith("3,3,"), k.get(2));
        assertTrue(k.get(3).startsWith("4,4,"), k.get(3));
        long u2 = Long.parseLong(k.get(2).split(",")[2]);
        long u3 = Long.parseLong(k.get(3).split(",")[2]);
        assertTrue(u3 > u2, "kmsg time goes on after reopening");
        assertFalse(SimulatedTree.exists(dir.resolve("nothing")));
        assertThrows(IllegalArgumentException.class, () -> SimulatedTree.open(dir.resolve("nothing")));
    }

    @Test
    void largeTreeIsCreated() throws IOException {
        long t0 = System.nanoTime();
        SimulatedTree tree = SimulatedTree.create(dir, 10, 10_000, "2.15");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("SimulatedTree: 10 file systems x 1,000 OSTs (2.15): " + tree.filesWritten() + " files in "
                + ms + " ms");
        assertEquals(10_000, tree.totalOsts());
        assertEquals(1000, read("proc/fs/lustre/lod/fs09-MDT0000-mdtlov/target_obd").lines().count());
        assertEquals("fs09-OST03e7_UUID\tFULL\n",
                read("sys/kernel/debug/lustre/osp/fs09-OST03e7-osc-MDT0000/ost_server_uuid"));
        t0 = System.nanoTime();
        int n = tree.routerFailure("fs03", "o2ib3");
        System.out.println("SimulatedTree: router failure of " + n + " OSTs in " + (System.nanoTime() - t0) / 1_000_000
                + " ms");
        int onNet = 0;
        for (int i = 0; i < 1000; i++) {
            onNet += tree.network("fs03", i).equals("o2ib3") ? 1 : 0;
        }
        assertEquals(onNet, n);
        assertTrue(n > 200 && n < 300, "about a quarter of the file system: " + n);
    }
}
