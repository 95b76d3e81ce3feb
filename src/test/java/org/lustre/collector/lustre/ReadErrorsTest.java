package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that exist but cannot be read, as a live tree fails: EIO on target_obd (a 2.15 LOD while
 * one OST's import is CLOSED), ENOTCONN on a deactivated OSP's kbytes*, EACCES on debugfs without
 * root. None drops a known target, none fakes a state change; each is counted.
 */
class ReadErrorsTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void unreadableFilesDropNoTargetAndChangeNoState() {
        TestTrees.write(dir, "re", 4, false);
        OverlayTree tree = new OverlayTree(new FileLustreTree(dir));
        LustreScanner sc = new LustreScanner(tree, 10, 1);
        LustreSnapshot s1 = sc.scan(T0);
        assertEquals(5, s1.nodes().size());
        assertEquals(0, s1.readErrors());

        tree.fail(TestTrees.PROC + "lod/re-MDT0000-mdtlov/target_obd", "Input/output error");
        tree.fail(TestTrees.DBG, "Permission denied");
        tree.fail(TestTrees.SYS + "osp/re-OST0002-osc-MDT0000/kbytes", "Transport endpoint is not connected");
        // The OST really went down meanwhile: unreadable, so not seen; but not faked either way.
        TestTrees.writeOst(dir, "re", 1, "DISCONN", false);
        LustreSnapshot s2 = sc.scan(T0 + LustreScanner.DISCOVERY_MILLIS + 1);   // with a full discovery
        assertEquals(s1.fileSystems().get("re").nodes(), s2.fileSystems().get("re").nodes(), "no target dropped");
        for (int i = 0; i < 4; i++) {
            NodeState n = s2.nodes().get(TestTrees.ost("re", i));
            assertEquals("FULL", n.state(), n.name());
            assertTrue(n.responding(), n.name());
        }
        assertEquals(1000, s2.nodes().get("re-OST0002").kbytesTotal(), "figures kept");
        assertTrue(s2.readErrors() >= 6, "target_obd, 4 ost_server_uuid, kbytestotal: " + s2.readErrors());
        assertEquals(0, s2.parseErrors());
        assertTrue(StateChanges.diff(s1, s2, sc::stateSince).isEmpty(), "no trap from an unreadable file");
        assertTrue(sc.totalReadErrors() >= 6);
        assertTrue(sc.lastReadError().contains("Transport endpoint is not connected")
                || sc.lastReadError().contains("Permission denied")
                || sc.lastReadError().contains("Input/output error"), sc.lastReadError());

        tree.heal();
        LustreSnapshot s3 = sc.scan(T0 + LustreScanner.DISCOVERY_MILLIS + 5001);
        assertEquals("DISCONN", s3.nodes().get("re-OST0001").state(), "readable again: the real state shows");
        assertEquals(0, s3.readErrors());
    }

    @Test
    void anUnreadableListingKeepsTheTargetsItListed() {
        // The OSTs of the 2.12.9 tree as an MDS alone sees them: through its OSP devices only.
        OverlayTree tree = new OverlayTree(new FileLustreTree(Fixtures.LLNL)).hide("sys/fs/lustre/obdfilter")
                .hide("proc/fs/lustre/obdfilter");
        for (int i = 0; i < 4; i++) {
            tree.hide("proc/fs/lustre/osd-zfs/lquake-OST000" + i);
        }
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        LustreTree failingLists = new LustreTree() {
            @Override
            public String read(String path) throws java.io.IOException {
                return tree.read(path);
            }

            @Override
            public List<String> list(String d) throws java.io.IOException {
                if (broken.get() && d.endsWith("/osp")) {
                    throw new java.io.IOException(d + ": Input/output error");
                }
                return tree.list(d);
            }

            @Override
            public boolean exists(String path) {
                return tree.exists(path);
            }
        };
        LustreScanner sc = new LustreScanner(failingLists, 100, 0);
        List<String> all = sc.scan(T0).fileSystems().get("lquake").nodes();
        assertEquals(20, all.size(), all.toString());
        broken.set(true);
        assertEquals(all, sc.scan(T0 + LustreScanner.DISCOVERY_MILLIS).fileSystems().get("lquake").nodes(),
                "the OSTs known from osp/ stay while osp/ cannot be listed");
        broken.set(false);
        tree.hide("sys/fs/lustre/osp/lquake-OST0003");
        tree.hide("sys/kernel/debug/lustre/osp/lquake-OST0003");
        assertEquals(all.subList(0, 19), sc.scan(T0 + 2 * LustreScanner.DISCOVERY_MILLIS).fileSystems().get("lquake")
                .nodes(), "listed fine without it: OST0003 is gone");
    }

    @Test
    void nulPaddedSysfsFilesParse() {
        TestTrees.write(dir, "nul", 1, false);
        String pad = "\0".repeat(4096 - "1000\n".length());
        Fixtures.put(dir, TestTrees.SYS + "osp/nul-OST0000-osc-MDT0000/kbytestotal", "1000\n" + pad);
        Fixtures.put(dir, TestTrees.SYS + "health_check", "healthy\n" + "\0".repeat(4088));
        LustreSnapshot s = new LustreScanner(new FileLustreTree(dir), 10, 0).scan(T0);
        assertEquals(1000, s.nodes().get("nul-OST0000").kbytesTotal());
        assertEquals("healthy", s.health());
        assertEquals(0, s.parseErrors());
    }
}
