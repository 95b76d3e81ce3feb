package org.lustre.collector.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;

/**
 * The per-target series (up and active, labels fs, target, kind) of one snapshot, built once per
 * snapshot and kept until the next: at 100,000 OSTs building 200,000 label sets is most of a
 * scrape, and the answer cannot change before the watcher publishes a new snapshot. Two scrapers
 * (the Prometheus pair of an HA setup) or a scrape interval below the scan interval then pay only
 * for writing. Thread-safe: the cache is one volatile reference to an immutable value.
 */
final class TargetSeries {
    /** The series of one snapshot; lists unmodifiable. notResponding: per file system. */
    record Families(GaugeSnapshot up, GaugeSnapshot active, Map<String, Integer> notResponding) {
    }

    private record Cached(LustreSnapshot snapshot, Families families) {
    }

    private volatile Cached cached = new Cached(null, null);

    Families of(LustreSnapshot s) {
        Cached c = cached;
        if (c.snapshot() == s) {
            return c.families();
        }
        Families f = build(s);
        cached = new Cached(s, f);
        return f;
    }

    private static Families build(LustreSnapshot s) {
        int n = s.nodes().size();
        List<GaugeDataPointSnapshot> up = new ArrayList<>(n);
        List<GaugeDataPointSnapshot> active = new ArrayList<>(n);
        Map<String, Integer> down = new HashMap<>();
        for (String fs : s.fileSystems().keySet()) {
            int notResponding = 0;
            for (NodeState node : new TreeMap<>(s.nodesOf(fs)).values()) {
                // One label set for both series; names already sorted (fs, kind, target), as Labels keeps them.
                Labels l = Labels.of("fs", fs, "kind", node.kind(), "target", node.name());
                up.add(CollectorMetrics.point(node.responding() ? 1 : 0, l));
                active.add(CollectorMetrics.point(node.active() ? 1 : 0, l));
                if (!node.responding()) {
                    notResponding++;
                }
            }
            down.put(fs, notResponding);
        }
        // The snapshots themselves are kept: each construction sorts its points by label set.
        return new Families(new GaugeSnapshot(CollectorMetrics.meta("target_up",
                "1 when the target responds (active and import FULL), else 0."), up),
                new GaugeSnapshot(CollectorMetrics.meta("target_active",
                        "1 when the target is ACTIVE in target_obd, 0 when deactivated."), active),
                Map.copyOf(down));
    }
}
