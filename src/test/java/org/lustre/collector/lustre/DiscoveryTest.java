package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periodic discovery: devices that appear or vanish without any target_obd change (an OSP
 * device added by a configuration log, one cleaned up) show at the next discovery, and a
 * discovery that finds what the last one found changes nothing.
 */
class DiscoveryTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long D = LustreScanner.DISCOVERY_MILLIS;

    @TempDir
    Path dir;

    @Test
    void devicesThatAppearOrVanishShowAtTheNextDiscovery() throws IOException {
        TestTrees.write(dir, "dv", 3, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 10, 1);
        assertEquals(List.of("dv-MDT0000", "dv-OST0000", "dv-OST0001", "dv-OST0002"),
                sc.scan(T0).fileSystems().get("dv").nodes());

        // A fourth OSP device, target_obd untouched: not before the next discovery, then found.
        TestTrees.writeOst(dir, "dv", 3, "FULL", false);
        assertEquals(4, sc.scan(T0 + 5_000).fileSystems().get("dv").nodes().size(), "between discoveries");
        LustreSnapshot found = sc.scan(T0 + D);
        assertEquals(List.of("dv-MDT0000", "dv-OST0000", "dv-OST0001", "dv-OST0002", "dv-OST0003"),
                found.fileSystems().get("dv").nodes());
        assertEquals("FULL", found.nodes().get("dv-OST0003").state());

        // Nothing changes: the next discovery keeps every target and figure.
        LustreSnapshot same = sc.scan(T0 + 2 * D);
        assertEquals(found.fileSystems().get("dv").nodes(), same.fileSystems().get("dv").nodes());
        assertEquals(shown(found), shown(same), "every node as before, but for the read time");

        // The device of OST0001 is cleaned up (both its sysfs and debugfs directories).
        delete(dir.resolve(TestTrees.SYS + "osp/" + TestTrees.osp("dv", 1)));
        delete(dir.resolve(TestTrees.DBG + "osp/" + TestTrees.osp("dv", 1)));
        // target_obd still lists it: a listed target with no device keeps the one its LOD implies.
        // Taken out of target_obd too, it is gone at the next discovery.
        String obd = TestTrees.PROC + "lod/dv-MDT0000-mdtlov/target_obd";
        Fixtures.put(dir, obd, "0: dv-OST0000_UUID ACTIVE\n2: dv-OST0002_UUID ACTIVE\n3: dv-OST0003_UUID ACTIVE\n");
        assertEquals(List.of("dv-MDT0000", "dv-OST0000", "dv-OST0002", "dv-OST0003"),
                sc.scan(T0 + 2 * D + 5_000).fileSystems().get("dv").nodes(), "target_obd changed: found at once");
    }

    @Test
    void aVanishedDeviceStillInTargetObdIsFoundAgainWhenItComesBack() throws IOException {
        TestTrees.write(dir, "dw", 2, false);
        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 10, 1);
        sc.scan(T0);
        delete(dir.resolve(TestTrees.SYS + "osp/" + TestTrees.osp("dw", 1)));
        delete(dir.resolve(TestTrees.DBG + "osp/" + TestTrees.osp("dw", 1)));
        LustreSnapshot gone = sc.scan(T0 + D);
        assertEquals(3, gone.fileSystems().get("dw").nodes().size(), "target_obd still lists OST0001");
        TestTrees.writeOst(dir, "dw", 1, "DISCONN", false);
        LustreSnapshot back = sc.scan(T0 + 2 * D);
        assertEquals("DISCONN", back.nodes().get("dw-OST0001").state(), "read through its device again");
    }

    @Test
    void aRediscoveryKeepsTheTargetsThatDidNotChange() throws IOException {
        TestTrees.write(dir, "ra", 3, false);
        TestTrees.write(dir, "rb", 3, false);
        Discovery d = new Discovery(new LustreLayout(new FileLustreTree(dir)));
        TreeErrors errors = new TreeErrors();
        Inventory first = d.discover(Inventory.EMPTY, errors.tally(T0));
        assertEquals("MDT0000", first.byName().get("ra-OST0001").ospMdts().get(0));
        assertEquals("ra-OST0001-osc-MDT0000", first.byName().get("ra-OST0001").osp(0));
        assertSame(first.byName().get("ra-OST0001").ospMdts(), first.byName().get("rb-OST0002").ospMdts(),
                "one list of MDTs for every target reached from the same MDT");

        // An administrator deactivates ra-OST0001: target_obd changes, the inventory is built again.
        Fixtures.put(dir, TestTrees.PROC + "lod/ra-MDT0000-mdtlov/target_obd",
                "0: ra-OST0000_UUID ACTIVE\n1: ra-OST0001_UUID INACTIVE\n2: ra-OST0002_UUID ACTIVE\n");
        Inventory second = d.refresh(first, errors.tally(T0 + 5_000));
        assertNotSame(first, second);
        assertEquals(Boolean.FALSE, second.byName().get("ra-OST0001").lodActive());
        assertSame(first.byFs().get("rb"), second.byFs().get("rb"), "the other file system's list itself");
        assertSame(first.byName().get("ra-OST0002"), second.byName().get("ra-OST0002"), "an unchanged target itself");

        // Nothing changed since: the next discovery hands back the inventory itself.
        assertSame(second, d.discover(second, errors.tally(T0 + D)));

        // A fourth OST with its OSP device, listed in target_obd: found at once, by a whole discovery.
        TestTrees.writeOst(dir, "ra", 3, "FULL", false);
        Fixtures.put(dir, TestTrees.PROC + "lod/ra-MDT0000-mdtlov/target_obd", "0: ra-OST0000_UUID ACTIVE\n"
                + "1: ra-OST0001_UUID INACTIVE\n2: ra-OST0002_UUID ACTIVE\n3: ra-OST0003_UUID ACTIVE\n");
        Inventory third = d.refresh(second, errors.tally(T0 + D + 5_000));
        assertEquals("MDT0000", third.byName().get("ra-OST0003").ospMdts().get(0));
        assertEquals(Boolean.TRUE, third.byName().get("ra-OST0003").lodActive());
        assertSame(second.byFs().get("rb"), third.byFs().get("rb"));
    }

    /** What each node shows, without its read time. */
    private static java.util.Map<String, String> shown(LustreSnapshot s) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        s.nodes().forEach((name, n) -> out.put(name, n.toString().replaceAll("updatedMillis=\\d+", "")));
        return out;
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
