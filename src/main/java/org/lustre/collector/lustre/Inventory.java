package org.lustre.collector.lustre;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets discovery found, by file system (sorted; MDTs before OSTs, each by name), with
 * the LOD whose target_obd lists each file system's OSTs. Immutable; any thread.
 *
 * @param byFs     file system to its targets
 * @param lods     file system to the LOD read for it (the first by name); absent when none
 * @param obdBytes LOD name to the target_obd bytes that this inventory was built from
 */
record Inventory(Map<String, List<Target>> byFs, Map<String, String> lods, Map<String, byte[]> obdBytes) {
    static final Inventory EMPTY = new Inventory(Map.of(), Map.of(), Map.of());

    Inventory {
        byFs = Collections.unmodifiableMap(new java.util.TreeMap<>(byFs));
        lods = Map.copyOf(lods);
        obdBytes = Map.copyOf(obdBytes);
    }

    /** Every target, file systems in name order: the order of the round robin and the sweep. */
    List<Target> all() {
        return byFs.values().stream().flatMap(List::stream).toList();
    }

    /** Targets by name (a target is in one file system only). */
    Map<String, Target> byName() {
        Map<String, Target> out = new HashMap<>();
        for (List<Target> ts : byFs.values()) {
            for (Target t : ts) {
                out.put(t.name(), t);
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
