package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class StateChangesTest {
    private static final long T = 1_700_000_123_456L;   // minute floor: 1700000100

    /** A node as the scanner builds it: a deactivated target is not a lost connection. */
    private static NodeState ost(String name, boolean active, String state, long total, long free) {
        boolean responding = !active || state.isEmpty() || state.equals("FULL");
        return new NodeState(name, "fs", "OST", 0, name + "_UUID", "", active, state, responding,
                total, free, free, -1, -1, T);
    }

    /** INACTIVE in target_obd (statfs failed with ENOTCONN) while the OSP is not deactivated. */
    private static NodeState unreachable(String name) {
        return new NodeState(name, "fs", "OST", 0, name + "_UUID", "", true, "FULL", false, 100, 50, 50, -1, -1, T);
    }

    private static NodeState recovered(String name, String status, long completed, long total, long start) {
        return new NodeState(name, "fs", "MDT", 0, name + "_UUID", "", true, "", true, -1, -1, -1, -1, -1, 7,
                new RecoveryStatus(status, start, 52, completed, total, total - completed), T, true);
    }

    private static NodeState mdt() {
        return new NodeState("fs-MDT0000", "fs", "MDT", 0, "fs-MDT0000_UUID", "", true, "", true, -1, -1, -1, -1, -1, T);
    }

    private static LustreSnapshot snap(long when, String health, NodeState... nodes) {
        Map<String, NodeState> m = new HashMap<>();
        for (NodeState n : nodes) {
            m.put(n.name(), n);
        }
        return new LustreSnapshot(Map.of("fs", new FileSystemState("fs", List.copyOf(m.keySet()), -1, -1)),
                Map.of("fs", m), health, "", when, 0, 0);
    }

    @Test
    void firstSnapshotReportsOnlyProblems() {
        LustreSnapshot s = snap(T, "LBUG", mdt(), ost("fs-OST0000", true, "FULL", 100, 50),
                ost("fs-OST0001", true, "DISCONN", 100, 50), ost("fs-OST0002", false, "FULL", 100, 50),
                ost("fs-OST0003", true, "FULL", 100, 2), unreachable("fs-OST0004"));
        List<TrapEvent> ev = StateChanges.diff(LustreSnapshot.EMPTY, s);
        assertEquals(5, ev.size(), ev.toString());
        assertEquals(new TrapEvent("scan:fs-MDT0000:HEALTH_LBUG:1700000100", T, Category.FATAL, "fs", "fs-MDT0000",
                "health_check: LBUG", "scan"), ev.get(0));
        assertEquals(new TrapEvent("scan:fs-OST0001:DISCONN:1700000100", T, Category.CRITICAL, "fs", "fs-OST0001",
                "fs-OST0001 not responding (state DISCONN)", "scan"), ev.get(1));
        // Deactivated by the administrator: said so, a Warning, not a lost connection.
        assertEquals(new TrapEvent("scan:fs-OST0002:DEACTIVATED:1700000100", T, Category.WARNING, "fs", "fs-OST0002",
                "fs-OST0002 deactivated by the administrator (INACTIVE)", "scan"), ev.get(2));
        assertEquals(Category.WARNING, ev.get(3).category());
        assertEquals("fs-OST0003 98.0% full (2 of 100 KiB free)", ev.get(3).message());
        assertEquals(new TrapEvent("scan:fs-OST0004:INACTIVE:1700000100", T, Category.CRITICAL, "fs", "fs-OST0004",
                "fs-OST0004 not responding (INACTIVE)", "scan"), ev.get(4));
        assertTrue(ev.stream().allMatch(e -> e.source().equals("scan")));
    }

    @Test
    void recoveryOverWithEvictionsIsATrapOncePerRecovery() {
        LustreSnapshot clean = snap(T, "healthy", recovered("fs-MDT0000", "COMPLETE", 69, 69, 1_700_000_000L));
        assertTrue(StateChanges.diff(LustreSnapshot.EMPTY, clean).isEmpty(), "no client evicted: nothing");
        LustreSnapshot recovering = snap(T, "healthy", recovered("fs-MDT0000", "RECOVERING", 0, 7, 1_700_000_050L));
        LustreSnapshot some = snap(T + 5000, "healthy", recovered("fs-MDT0000", "COMPLETE", 3, 7, 1_700_000_050L));
        List<TrapEvent> ev = StateChanges.diff(recovering, some);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals(new TrapEvent("scan:fs-MDT0000:RECOVERY_EVICTED:1700000050", T + 5000, Category.WARNING, "fs",
                "fs-MDT0000", "fs-MDT0000 recovery over: 4 of 7 clients evicted (took 52 s)", "scan"), ev.get(0));
        assertTrue(StateChanges.diff(some, snap(T + 10_000, "healthy",
                recovered("fs-MDT0000", "COMPLETE", 3, 7, 1_700_000_050L))).isEmpty(), "the same recovery: once");
        LustreSnapshot all = snap(T + 15_000, "healthy", recovered("fs-MDT0000", "COMPLETE", 0, 7, 1_700_009_000L));
        List<TrapEvent> ev2 = StateChanges.diff(some, all);
        assertEquals(Category.CRITICAL, ev2.get(0).category(), "every client evicted");
        assertEquals("fs-MDT0000 recovery over: 7 of 7 clients evicted (took 52 s)", ev2.get(0).message());
    }

    @Test
    void comingBackIsInfoAndUsesTheStateHistoryEpoch() {
        LustreSnapshot a = snap(T, "healthy", ost("fs-OST0001", true, "DISCONN", 100, 50));
        LustreSnapshot b = snap(T + 5000, "healthy", ost("fs-OST0001", true, "FULL", 100, 50));
        List<TrapEvent> ev = StateChanges.diff(a, b, n -> 1_600_000_000L);
        assertEquals(1, ev.size());
        assertEquals(Category.INFO, ev.get(0).category());
        assertEquals("scan:fs-OST0001:FULL:1600000000", ev.get(0).id());
        assertEquals(1_600_000_000_000L, ev.get(0).eventTimeMillis());
        assertEquals("fs-OST0001 responding again (state FULL)", ev.get(0).message());
        // and no "came back" against an empty before
        assertTrue(StateChanges.diff(LustreSnapshot.EMPTY, b).isEmpty());
    }

    @Test
    void reactivationUsesActiveNotAnOldFullEpoch() {
        LustreSnapshot a = snap(T, "", ost("fs-OST0001", false, "FULL", 100, 50));
        LustreSnapshot b = snap(T, "", ost("fs-OST0001", true, "FULL", 100, 50));
        List<TrapEvent> ev = StateChanges.diff(a, b, n -> 5);
        assertEquals(1, ev.size(), ev.toString());
        assertEquals("scan:fs-OST0001:ACTIVATED:1700000100", ev.get(0).id());
        assertEquals(Category.INFO, ev.get(0).category());
    }

    @Test
    void sameContentGivesSameIdOnTwoCollectors() {
        LustreSnapshot before = snap(T, "healthy", ost("fs-OST0001", true, "FULL", 100, 50));
        LustreSnapshot mds1 = snap(T + 1000, "healthy", ost("fs-OST0001", true, "DISCONN", 100, 50));
        LustreSnapshot mds2 = snap(T + 3000, "healthy", ost("fs-OST0001", true, "DISCONN", 100, 50));
        assertEquals(StateChanges.diff(before, mds1).get(0).id(), StateChanges.diff(before, mds2).get(0).id());
    }

    @Test
    void fullThresholdBothWays() {
        LustreSnapshot a = snap(T, "", ost("fs-OST0000", true, "FULL", 1000, 60));   // 94% used
        LustreSnapshot b = snap(T, "", ost("fs-OST0000", true, "FULL", 1000, 40));   // 96%
        LustreSnapshot c = snap(T, "", ost("fs-OST0000", true, "FULL", 1000, 50));   // exactly 95%: not over
        LustreSnapshot unknown = snap(T, "", ost("fs-OST0000", true, "", -1, -1));
        assertTrue(StateChanges.diff(a, a).isEmpty());
        assertEquals(Category.WARNING, StateChanges.diff(a, b).get(0).category());
        assertEquals("scan:fs-OST0000:FULL95:1700000100", StateChanges.diff(a, b).get(0).id());
        assertTrue(StateChanges.diff(b, b).isEmpty(), "no repeat while it stays full");
        assertEquals(Category.INFO, StateChanges.diff(b, c).get(0).category());
        assertTrue(StateChanges.diff(b, unknown).isEmpty(), "unknown space keeps the previous status");
    }

    @Test
    void healthTransitions() {
        LustreSnapshot ok = snap(T, "healthy", mdt());
        LustreSnapshot bad = snap(T, "NOT HEALTHY (unhealthy devices: fs-OST0001)", mdt());
        LustreSnapshot bad2 = snap(T, "NOT HEALTHY (unhealthy devices: fs-OST0001, fs-OST0002)", mdt());
        LustreSnapshot lbug = snap(T, "LBUG", mdt());
        List<TrapEvent> ev = StateChanges.diff(ok, bad);
        assertEquals(1, ev.size());
        assertEquals(Category.FATAL, ev.get(0).category());
        assertEquals("health_check: NOT HEALTHY (unhealthy devices: fs-OST0001)", ev.get(0).message());
        assertEquals("scan:fs-MDT0000:HEALTH_NOT_HEALTHY:1700000100", ev.get(0).id());
        assertTrue(StateChanges.diff(bad, bad2).isEmpty(), "same status, longer device list: no new trap");
        assertEquals(Category.FATAL, StateChanges.diff(bad, lbug).get(0).category());
        assertEquals(Category.INFO, StateChanges.diff(lbug, ok).get(0).category());
        assertTrue(StateChanges.diff(ok, snap(T, "", mdt())).isEmpty(), "absent health_check is not a problem");
        LustreSnapshot noMdt = snap(T, "LBUG");
        assertEquals("", StateChanges.diff(LustreSnapshot.EMPTY, noMdt).get(0).node());
    }
}
