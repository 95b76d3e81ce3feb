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

    private static NodeState ost(String name, boolean active, String state, long total, long free) {
        boolean responding = active && (state.isEmpty() || state.equals("FULL"));
        return new NodeState(name, "fs", "OST", 0, name + "_UUID", "", active, state, responding,
                total, free, free, -1, -1, T);
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
                m, health, when, 0);
    }

    @Test
    void firstSnapshotReportsOnlyProblems() {
        LustreSnapshot s = snap(T, "LBUG", mdt(), ost("fs-OST0000", true, "FULL", 100, 50),
                ost("fs-OST0001", true, "DISCONN", 100, 50), ost("fs-OST0002", false, "FULL", 100, 50),
                ost("fs-OST0003", true, "FULL", 100, 2));
        List<TrapEvent> ev = StateChanges.diff(LustreSnapshot.EMPTY, s);
        assertEquals(4, ev.size(), ev.toString());
        assertEquals(new TrapEvent("scan:fs-MDT0000:HEALTH_LBUG:1700000100", T, Category.FATAL, "fs", "fs-MDT0000",
                "health_check: LBUG", "scan"), ev.get(0));
        assertEquals(new TrapEvent("scan:fs-OST0001:DISCONN:1700000100", T, Category.CRITICAL, "fs", "fs-OST0001",
                "fs-OST0001 not responding (state DISCONN)", "scan"), ev.get(1));
        assertEquals("scan:fs-OST0002:INACTIVE:1700000100", ev.get(2).id());
        assertEquals("fs-OST0002 not responding (INACTIVE)", ev.get(2).message());
        assertEquals(Category.WARNING, ev.get(3).category());
        assertEquals("fs-OST0003 98.0% full (2 of 100 KiB free)", ev.get(3).message());
        assertTrue(ev.stream().allMatch(e -> e.source().equals("scan")));
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
        assertEquals("scan:fs-OST0001:ACTIVE:1700000100", StateChanges.diff(a, b, n -> 5).get(0).id());
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
