package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lustre.collector.lustre.FileSystemState;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.lustre.StateChanges;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.StormPolicy;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * Traps to alerts, with traps made the way the collector makes them (StateChanges over two
 * snapshots, then the store): labels equal on both collectors, the clearing trap resolves, storms
 * are one alert, the minimum category filters.
 */
class TrapAlertsTest {
    private static final long T0 = 1_796_000_000_000L;

    private static NodeState ost(String name, boolean responding, String state) {
        return new NodeState(name, "fs0", "OST", 1, name + "_UUID", "10.0.0.1@o2ib1", true, state, responding,
                100, 50, 50, 10, 5, T0);
    }

    private static LustreSnapshot snapshot(long millis, NodeState... nodes) {
        Map<String, NodeState> m = new java.util.HashMap<>();
        List<String> names = new ArrayList<>();
        for (NodeState n : nodes) {
            m.put(n.name(), n);
            names.add(n.name());
        }
        return new LustreSnapshot(Map.of("fs0", new FileSystemState("fs0", names, 200, 100)), Map.of("fs0", m),
                "healthy", "", millis, 0, 0);
    }

    /** Stores the events in a fresh store (the test thread is its writer) and returns them as traps. */
    private static List<Trap> stored(TrapStore store, List<TrapEvent> events) {
        long before = store.newestSeq();
        events.forEach(store::append);
        return store.read(before, 1000).traps();
    }

    @Test
    void notRespondingFiresWithContentLabelsAndRespondingAgainResolvesIt() {
        TrapStore store = new TrapStore(100, StormPolicy.DEFAULT, () -> T0);
        TrapAlerts alerts = new TrapAlerts(Category.WARNING);
        LustreSnapshot up = snapshot(T0, ost("fs0-OST0001", true, "FULL"));
        LustreSnapshot down = snapshot(T0 + 5_000, ost("fs0-OST0001", false, "DISCONN"));
        LustreSnapshot back = snapshot(T0 + 65_000, ost("fs0-OST0001", true, "FULL"));

        List<Trap> raised = stored(store, StateChanges.diff(up, down));
        assertEquals(1, raised.size());
        List<Alert> fired = alerts.onTrap(raised.get(0));
        assertEquals(1, fired.size());
        Alert a = fired.get(0);
        assertEquals(Map.of("alertname", "LustreTrap", "fs", "fs0", "node", "fs0-OST0001", "category", "Critical",
                "severity", "critical", "id", raised.get(0).id()), a.labels());
        assertEquals(0, a.endsMillis());
        assertEquals("1", a.annotations().get("count"));
        assertTrue(a.annotations().get("summary").contains("not responding"));
        assertEquals(List.of(a), alerts.due(T0), "open until cleared");

        // the other collector of the pair, same scans: the same label set
        TrapStore other = new TrapStore(100, StormPolicy.DEFAULT, () -> T0 + 1_234);
        Trap twin = stored(other, StateChanges.diff(up, down)).get(0);
        assertEquals(a.labels(), new TrapAlerts(Category.WARNING).onTrap(twin).get(0).labels());

        List<Trap> cleared = stored(store, StateChanges.diff(down, back));
        assertEquals(Category.INFO, cleared.get(0).category());
        List<Alert> resolved = alerts.onTrap(cleared.get(0));
        assertEquals(1, resolved.size());
        assertEquals(a.labels(), resolved.get(0).labels());
        assertEquals(cleared.get(0).eventTime() * 1000, resolved.get(0).endsMillis());
        assertEquals(List.of(), alerts.due(T0 + 600_000), "no longer open");
    }

    @Test
    void openAlertsAreSentAgainSoAlertmanagerDoesNotExpireThem() {
        TrapStore store = new TrapStore(100, StormPolicy.DEFAULT, () -> T0);
        TrapAlerts alerts = new TrapAlerts(Category.WARNING);
        Trap t = stored(store, StateChanges.diff(snapshot(T0, ost("fs0-OST0002", true, "FULL")),
                snapshot(T0, ost("fs0-OST0002", false, "DISCONN")))).get(0);
        alerts.onTrap(t);
        assertEquals(1, alerts.due(T0).size());
        assertEquals(0, alerts.due(T0 + 1_000).size());
        assertEquals(1, alerts.due(T0 + TrapAlerts.RESEND_MILLIS).size());
    }

    @Test
    void belowTheMinimumNothingAndEventsAreNotRemembered() {
        TrapStore store = new TrapStore(100, StormPolicy.DEFAULT, () -> T0);
        TrapAlerts alerts = new TrapAlerts(Category.CRITICAL);
        List<Trap> traps = stored(store, List.of(
                new TrapEvent("k:1", T0, Category.WARNING, "fs0", "fs0-OST0003", "slow reply", "kmsg"),
                new TrapEvent("k:2", T0, Category.FATAL, "fs0", "fs0-MDT0000", "LBUG", "kmsg")));
        assertEquals(List.of(), alerts.onTrap(traps.get(0)));
        List<Alert> fired = alerts.onTrap(traps.get(1));
        assertEquals("Fatal", fired.get(0).labels().get("category"));
        assertEquals(List.of(), alerts.due(T0), "nothing open");
    }

    @Test
    void aStormIsOneAlertWithItsCount() {
        long[] now = {T0};
        TrapStore store = new TrapStore(250, StormPolicy.DEFAULT, () -> now[0]);
        for (int i = 0; i < 1_000; i++) {
            String node = String.format("fs0-OST%04x", i);
            store.append(new TrapEvent("k:" + i, T0, Category.CRITICAL, "fs0", node,
                    "Connection to " + node + " (at 10.0.0." + (i % 250) + "@o2ib1) was lost", "kmsg"));
        }
        now[0] += 60_000;
        store.tick();
        List<Alert> all = new ArrayList<>();
        TrapAlerts alerts = new TrapAlerts(Category.WARNING);
        for (Trap t : store.read(0, 1000).traps()) {
            all.addAll(alerts.onTrap(t));
        }
        Alert storm = all.stream().filter(a -> a.labels().get("id").endsWith("~storm")).findFirst().orElseThrow();
        int total = all.stream().mapToInt(a -> Integer.parseInt(a.annotations().get("count"))).sum();
        assertEquals(1_000, total);
        assertTrue(Integer.parseInt(storm.annotations().get("count")) > 900, storm.toString());
        assertTrue(all.size() < 20, all.size() + " alerts");
    }
}
