package org.lustre.collector.lustre;

import java.util.Map;

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
        fileSystems = Map.copyOf(fileSystems);
        nodes = Map.copyOf(nodes);
    }
}
