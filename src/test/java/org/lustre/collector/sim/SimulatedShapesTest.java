package org.lustre.collector.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;

/** The simulator writes what real trees showed: no target_obd, DNE, NUL padding, unreadable files. */
class SimulatedShapesTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void a212DneTreeWithPaddingIsScannedWithoutTargetObd() throws Exception {
        AtomicLong clock = new AtomicLong(T0);
        SimulatedTree tree = SimulatedTree.create(dir, 2, 8, "2.12", clock::get, new SimulatedTree.Shape(3, true));
        assertFalse(Files.exists(dir.resolve("proc/fs/lustre/lod")), "nothing a reader could take target_obd from");
        assertEquals(4096, Files.size(dir.resolve("sys/fs/lustre/health_check")), "padded");
        assertTrue(Files.isRegularFile(dir.resolve("sys/fs/lustre/osp/fs00-OST0003-osc-MDT0002/kbytestotal")));
        assertTrue(Files.isRegularFile(dir.resolve("sys/kernel/debug/lustre/osp/fs00-MDT0001-osp-MDT0002/mdt_server_uuid")));

        LustreScanner sc = new LustreScanner(new FileLustreTree(dir), 100, 1);
        LustreSnapshot s = sc.scan(T0);
        assertEquals(List.of("fs00-MDT0000", "fs00-MDT0001", "fs00-MDT0002", "fs00-OST0000", "fs00-OST0001",
                "fs00-OST0002", "fs00-OST0003"), s.fileSystems().get("fs00").nodes());
        assertEquals(0, s.parseErrors() + s.readErrors(), "NUL padding read as nothing");
        assertEquals("2.12.9_12.llnl", s.lustreVersion());
        NodeState mdt = s.nodes().get("fs00-MDT0001");
        assertEquals(3_096_018_432L, mdt.kbytesTotal(), "MDT space from osd-zfs");
        assertEquals(TreeBuilder.OST_KBYTES, s.nodes().get("fs01-OST0002").kbytesTotal());

        tree.ostDown("fs00", 2);   // MDT0000's OSP only: the target is as bad as its worst OSP
        LustreSnapshot s2 = sc.scan(T0 + 5000);
        assertEquals("DISCONN", s2.nodes().get("fs00-OST0002").state());
        assertFalse(s2.nodes().get("fs00-OST0002").responding());

        assertTrue(tree.unreadable("fs01", 1));
        LustreSnapshot s3 = sc.scan(T0 + 10_000);
        assertTrue(s3.readErrors() >= 1, "the unreadable kbytesfree is counted");
        assertEquals(s2.nodes().get("fs01-OST0001").kbytesFree(), s3.nodes().get("fs01-OST0001").kbytesFree(),
                "and its figure kept");
        assertTrue(tree.readable("fs01", 1));
        assertEquals(0, sc.scan(T0 + 15_000).readErrors());

        SimulatedTree again = SimulatedTree.open(dir, clock::get);
        assertEquals(new SimulatedTree.Shape(3, true), again.shape());
        assertEquals("2.12", again.layout());
        assertTrue(again.ostUp("fs00", 2));
        assertEquals("FULL", sc.scan(T0 + 20_000).nodes().get("fs00-OST0002").state());
    }
}
