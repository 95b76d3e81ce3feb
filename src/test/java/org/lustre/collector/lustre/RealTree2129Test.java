package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * The scanner over the whole real LLNL 2.12.9 tree (osd-zfs, 16 MDTs in DNE, 4 OSTs, 64 OST OSP
 * devices, 240 MDT-to-MDT OSP devices; no target_obd, no OSP import, state or active): every
 * target and every space figure the tree has.
 */
class RealTree2129Test {
    private static final long T0 = 1_700_000_000_000L;
    private static final String FS = "lquake";

    private static String mdt(int i) {
        return String.format("%s-MDT%04x", FS, i);
    }

    private static String ost(int i) {
        return String.format("%s-OST%04x", FS, i);
    }

    @Test
    void everyTargetAndEverySpaceFigure() {
        LustreSnapshot s = new LustreScanner(new FileLustreTree(Fixtures.LLNL), 100, 0).scan(T0);
        assertEquals(List.of(FS), List.copyOf(s.fileSystems().keySet()));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            expected.add(mdt(i));
        }
        for (int i = 0; i < 4; i++) {
            expected.add(ost(i));
        }
        assertEquals(expected, s.fileSystems().get(FS).nodes());
        assertEquals(0, s.parseErrors());
        assertEquals(0, s.readErrors());
        assertEquals("2.12.9_12.llnl", s.lustreVersion());
        assertEquals("", s.health(), "this capture has no health_check");

        for (int i = 0; i < 16; i++) {
            NodeState n = s.nodes().get(mdt(i));
            String osd = "proc/fs/lustre/osd-zfs/" + mdt(i) + "/";   // MDT space: the OSD, proc in 2.12
            assertEquals(Fixtures.llnlNumber(osd + "kbytestotal"), n.kbytesTotal(), n.name());
            assertEquals(Fixtures.llnlNumber(osd + "kbytesfree"), n.kbytesFree(), n.name());
            assertEquals(Fixtures.llnlNumber(osd + "filestotal"), n.filesTotal(), n.name());
            assertEquals(Fixtures.llnlNumber(osd + "filesfree"), n.filesFree(), n.name());
            assertEquals(-1, n.kbytesAvail(), "no kbytesavail in this capture");
            assertEquals("MDT", n.kind());
            assertEquals(i, n.index());
            assertTrue(n.responding(), n.name());
            assertEquals("COMPLETE", n.recovery().status());
            assertEquals(-1, n.recovery().startEpoch(), "seconds since boot, and no proc/uptime to convert");
        }
        NodeState m0 = s.nodes().get(mdt(0));
        assertEquals(new RecoveryStatus("COMPLETE", -1, 52, 69, 69, 0), m0.recovery());

        long total = 0;
        long free = 0;
        for (int i = 0; i < 4; i++) {
            NodeState n = s.nodes().get(ost(i));
            // Served here too (obdfilter): its own figures; the 16 OSPs' agree but are older.
            String of = "sys/fs/lustre/obdfilter/" + ost(i) + "/";
            assertEquals(Fixtures.llnlNumber(of + "kbytestotal"), n.kbytesTotal(), n.name());
            assertEquals(Fixtures.llnlNumber(of + "kbytesfree"), n.kbytesFree(), n.name());
            assertEquals(Fixtures.llnlNumber(of + "filestotal"), n.filesTotal(), n.name());
            assertEquals(Fixtures.llnlNumber(of + "filesfree"), n.filesFree(), n.name());
            assertEquals(Fixtures.llnlNumber("proc/fs/lustre/obdfilter/" + ost(i) + "/num_exports"), n.exports());
            assertEquals("COMPLETE", n.recovery().status());
            assertEquals("FULL", n.state(), "from the 16 ost_server_uuid files");
            assertTrue(n.active());
            assertTrue(n.responding());
            total += n.kbytesTotal();
            free += n.kbytesFree();
        }
        assertEquals(total, s.fileSystems().get(FS).kbytesTotal(), "no LOD: the sum over the OSTs");
        assertEquals(free, s.fileSystems().get(FS).kbytesFree());
        assertTrue(StateChanges.diff(LustreSnapshot.EMPTY, s).isEmpty(), "a healthy tree raises nothing");
    }

    private static OverlayTree overlay() {
        return new OverlayTree(new FileLustreTree(Fixtures.LLNL));
    }

    @Test
    void ostSpaceFromTheOspWhenNotServedHere() {
        OverlayTree tree = overlay().hide("sys/fs/lustre/obdfilter").hide("proc/fs/lustre/obdfilter")
                .hide("proc/fs/lustre/osd-zfs/" + ost(1));
        LustreSnapshot s = new LustreScanner(tree, 100, 0).scan(T0);
        NodeState n = s.nodes().get(ost(1));
        String osp = "sys/fs/lustre/osp/" + ost(1) + "-osc-MDT0000/";   // the first OSP device by name
        assertEquals(Fixtures.llnlNumber(osp + "kbytestotal"), n.kbytesTotal());
        assertEquals(Fixtures.llnlNumber(osp + "kbytesfree"), n.kbytesFree());
        assertEquals(Fixtures.llnlNumber(osp + "filesfree"), n.filesFree());
        assertEquals(-1, n.exports(), "a remote OST: no exports of ours");
        assertEquals(RecoveryStatus.UNKNOWN, n.recovery());
    }

    @Test
    void recoveryStartInSecondsSinceBootIsConvertedWithTheUptime() {
        OverlayTree tree = overlay().put("proc/uptime", "2000.50 3900.00\n");
        LustreSnapshot s = new LustreScanner(tree, 100, 0).scan(T0);
        long boot = (T0 - 2_000_500) / 1000;
        assertEquals(boot + 1406, s.nodes().get(mdt(0)).recovery().startEpoch(), "recovery_start: 1406");
    }

    @Test
    void oneOspInDisconnMakesTheOstNotRespondingAndRaisesACriticalTrap() {
        OverlayTree tree = overlay();
        LustreScanner sc = new LustreScanner(tree, 100, 0);
        LustreSnapshot before = sc.scan(T0);
        // One of the 16 MDTs lost OST0002: the target is as bad as the worst OSP says.
        tree.put("sys/kernel/debug/lustre/osp/" + ost(2) + "-osc-MDT0005/ost_server_uuid",
                ost(2) + "_UUID\tDISCONN\n");
        LustreSnapshot after = sc.scan(T0 + 5000);
        NodeState n = after.nodes().get(ost(2));
        assertEquals("DISCONN", n.state());
        assertTrue(n.active());
        assertFalse(n.responding());
        List<TrapEvent> ev = StateChanges.diff(before, after, sc::stateSince);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals(Category.CRITICAL, ev.get(0).category());
        assertEquals(ost(2) + " not responding (state DISCONN)", ev.get(0).message());
        assertEquals(FS, ev.get(0).fs());
        assertTrue(after.nodes().get(ost(1)).responding(), "the others still respond");
    }

    @Test
    void deactivatedIsAWarningNotALostConnection() {
        OverlayTree tree = overlay();
        LustreScanner sc = new LustreScanner(tree, 100, 0);
        LustreSnapshot before = sc.scan(T0);
        tree.put("sys/kernel/debug/lustre/osp/" + ost(3) + "-osc-MDT0000/ost_server_uuid",
                ost(3) + "_UUID\tDISCONN\tDEACTIVATED\n");
        LustreSnapshot after = sc.scan(T0 + 5000);
        NodeState n = after.nodes().get(ost(3));
        assertFalse(n.active());
        assertTrue(n.responding(), "deactivated is not a lost connection");
        List<TrapEvent> ev = StateChanges.diff(before, after, sc::stateSince);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals(Category.WARNING, ev.get(0).category());
        assertEquals(ost(3) + " deactivated by the administrator (INACTIVE)", ev.get(0).message());
    }

    @Test
    void mdtToMdtOspDevicesAreWatchedToo() {
        OverlayTree tree = overlay();
        LustreScanner sc = new LustreScanner(tree, 100, 0);
        LustreSnapshot before = sc.scan(T0);
        // The capture has no mdt_server_uuid; a live 2.12 MDS has it in debugfs (lproc_osp.c).
        tree.put("sys/kernel/debug/lustre/osp/" + mdt(3) + "-osp-MDT0000/mdt_server_uuid",
                mdt(3) + "_UUID\tCONNECTING\n");
        LustreSnapshot after = sc.scan(T0 + 5000);
        assertEquals("CONNECTING", after.nodes().get(mdt(3)).state());
        assertFalse(after.nodes().get(mdt(3)).responding());
        List<TrapEvent> ev = StateChanges.diff(before, after, sc::stateSince);
        assertEquals(List.of(mdt(3) + " not responding (state CONNECTING)"), ev.stream().map(TrapEvent::message).toList());
    }

    @Test
    void anOssTreeListsItsOstsWithSpaceExportsAndRecovery() {
        // The OSS part of the capture only: obdfilter and the OSTs' osd-zfs.
        OverlayTree tree = overlayOss();
        LustreSnapshot s = new LustreScanner(tree, 100, 0).scan(T0);
        assertEquals(List.of(ost(0), ost(1), ost(2), ost(3)), s.fileSystems().get(FS).nodes());
        NodeState n = s.nodes().get(ost(0));
        assertEquals(Fixtures.llnlNumber("sys/fs/lustre/obdfilter/" + ost(0) + "/kbytestotal"), n.kbytesTotal());
        assertEquals(Fixtures.llnlNumber("proc/fs/lustre/obdfilter/" + ost(0) + "/num_exports"), n.exports());
        assertEquals(new RecoveryStatus("COMPLETE", -1, 39, 68, 68, 0), n.recovery());
        assertEquals("", n.state(), "no import: an OSS does not connect to its own OSTs");
        assertTrue(n.responding());
        assertEquals(0, s.parseErrors() + s.readErrors());

        // The OSS turns unhealthy: its OSTs stop responding, for that reason, not as INACTIVE.
        tree.put("sys/fs/lustre/health_check", "NOT HEALTHY\n");
        LustreScanner sc = new LustreScanner(tree, 100, 0);
        LustreSnapshot healthy = new LustreScanner(overlayOss(), 100, 0).scan(T0);
        LustreSnapshot sick = sc.scan(T0 + 5000);
        assertFalse(sick.nodes().get(ost(0)).responding());
        List<String> messages = StateChanges.diff(healthy, sick).stream().map(TrapEvent::message).toList();
        assertTrue(messages.contains(ost(0) + " not responding (unhealthy)"), messages.toString());
        assertTrue(messages.stream().noneMatch(m -> m.contains("INACTIVE")), messages.toString());
    }

    private OverlayTree overlayOss() {
        OverlayTree tree = overlay().hide("sys/fs/lustre/osp").hide("sys/kernel/debug").hide("sys/fs/lustre/mdt")
                .hide("proc/fs/lustre/mdt").hide("sys/fs/lustre/ldlm");
        for (int i = 0; i < 16; i++) {
            tree.hide("proc/fs/lustre/osd-zfs/" + mdt(i));
        }
        return tree;
    }
}
