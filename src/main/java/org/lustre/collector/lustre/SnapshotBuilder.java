package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the inventory and the readings into a {@link LustreSnapshot}. A file system none of
 * whose targets changed since the last snapshot (same targets, no reading that changed what a
 * node shows, same health) keeps its node map and state objects: at 100,000 OSTs a scan rebuilds
 * the few file systems it touched, and {@link StateChanges} compares only those. The node rules
 * are {@link NodeState}'s.
 *
 * <p>Scan thread only.
 */
final class SnapshotBuilder {
    private record Published(List<Target> targets, Map<String, NodeState> nodes, FileSystemState state,
                             boolean healthy, long[] lodSpace) {
    }

    private Map<String, Published> last = Map.of();

    /**
     * @param readings the latest reading of a target by name (null: never read)
     * @param touched  by file system, the targets whose reading changed since the last build
     * @param lodSpace per file system with a LOD, its {kbytestotal, kbytesfree} (-1 unknown)
     */
    LustreSnapshot build(Inventory inv, Function<String, Reading> readings, Map<String, List<Target>> touched,
                         Map<String, long[]> lodSpace, String health, String version, long nowMillis,
                         int parseErrors, int readErrors) {
        boolean healthy = health.isEmpty() || health.equals("healthy");
        Map<String, FileSystemState> fileSystems = new TreeMap<>();
        Map<String, Map<String, NodeState>> nodes = new TreeMap<>();
        Map<String, Published> published = new HashMap<>();
        for (Map.Entry<String, List<Target>> e : inv.byFs().entrySet()) {
            String fs = e.getKey();
            List<Target> targets = e.getValue();
            long[] lod = lodSpace.get(fs);
            Published prev = last.get(fs);
            List<Target> changed = touched.get(fs);
            Published now;
            if (prev != null && prev.targets() == targets && changed == null && prev.healthy() == healthy) {
                now = java.util.Arrays.equals(prev.lodSpace(), lod) ? prev
                        : new Published(targets, prev.nodes(), fsState(fs, targets, prev.nodes(), lod), healthy, lod);
            } else {
                // Same targets and health: the changed nodes alone are built again (the round
                // robin's hundred a scan, not the thousands of their file systems).
                boolean partly = prev != null && prev.targets() == targets && prev.healthy() == healthy;
                Map<String, NodeState> m = partly ? new HashMap<>(prev.nodes()) : new HashMap<>();
                for (Target t : partly ? changed : targets) {
                    Reading r = readings.apply(t.name());
                    m.put(t.name(), node(t, r == null ? Reading.none(t) : r, healthy));
                }
                m = Collections.unmodifiableMap(m);
                now = new Published(targets, m, fsState(fs, targets, m, lod), healthy, lod);
            }
            published.put(fs, now);
            fileSystems.put(fs, now.state());
            nodes.put(fs, now.nodes());
        }
        last = published;
        return new LustreSnapshot(fileSystems, nodes, health, version, nowMillis, parseErrors, readErrors);
    }

    static NodeState node(Target t, Reading r, boolean healthy) {
        boolean active = !r.deactivated();
        boolean lost = active && (ImportStates.lost(r.state()) || Boolean.FALSE.equals(t.lodActive()));
        boolean responding = !lost && (!t.local() || healthy);
        long[] s = r.space();
        return new NodeState(t.name(), t.fs(), t.id().kind(), t.id().index(), t.uuid(), r.nid(), active, r.state(),
                responding, s[0], s[1], s[2], s[3], s[4], r.exports(), r.recovery(), r.updatedMillis(), t.local());
    }

    /**
     * Names MDTs first then OSTs (name order does that); space from the LOD when this node has
     * one, else the sum over the OSTs whose space is known (-1 when none is).
     */
    private static FileSystemState fsState(String fs, List<Target> targets, Map<String, NodeState> nodes, long[] lod) {
        List<String> names = new ArrayList<>(targets.size());
        long total = -1;
        long free = -1;
        for (Target t : targets) {
            names.add(t.name());
            NodeState n = nodes.get(t.name());
            if (t.id().isOst() && n != null && n.kbytesTotal() >= 0) {
                total = Math.max(total, 0) + n.kbytesTotal();
                if (n.kbytesFree() >= 0) {
                    free = Math.max(free, 0) + n.kbytesFree();
                }
            }
        }
        if (lod != null && lod[0] >= 0) {
            total = lod[0];
            free = lod[1];
        }
        return new FileSystemState(fs, names, total, free);
    }
}
