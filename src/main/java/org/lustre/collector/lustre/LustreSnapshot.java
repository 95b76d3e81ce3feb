package org.lustre.collector.lustre;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one scan of the Lustre tree found. Immutable, published whole by the watcher so
 * readers always see one consistent scan.
 *
 * @param fileSystems  by name, sorted
 * @param nodes        by target name
 * @param health       content of health_check ("healthy", "NOT HEALTHY", "LBUG", ...), "" when absent
 * @param scanMillis   when the scan started, epoch milliseconds
 * @param parseErrors  files that held garbage or vanished in this scan
 */
public record LustreSnapshot(Map<String, FileSystemState> fileSystems, Map<String, NodeState> nodes,
                             String health, long scanMillis, int parseErrors) {
    public static final LustreSnapshot EMPTY = new LustreSnapshot(Map.of(), Map.of(), "", 0, 0);

    public LustreSnapshot {
        // Not Map.copyOf: its open addressing probes badly on 100,000 names as alike as
        // "fs00-OST0001", "fs00-OST0002", ... (measured: most of a scan's CPU went there).
        fileSystems = Collections.unmodifiableMap(new TreeMap<>(fileSystems));
        if (!(nodes instanceof NodeIndex)) { // the scanner's index is immutable already
            nodes = Collections.unmodifiableMap(new HashMap<>(nodes));
        }
    }

    /** The nodes of one file system (empty when unknown); the same map object while it is unchanged. */
    public Map<String, NodeState> nodesOf(String fs) {
        if (nodes instanceof NodeIndex index) {
            return index.ofFileSystem(fs);
        }
        Map<String, NodeState> out = new HashMap<>();
        for (NodeState n : nodes.values()) {
            if (n.fs().equals(fs)) {
                out.put(n.name(), n);
            }
        }
        return out;
    }
}
