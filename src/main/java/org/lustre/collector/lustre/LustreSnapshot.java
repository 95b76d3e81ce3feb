package org.lustre.collector.lustre;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one scan of the Lustre tree found. Immutable, published whole by the watcher so
 * readers always see one consistent scan. Nodes are held per file system, the unchanged ones
 * handed on from the last scan (see {@link SnapshotBuilder}).
 *
 * <p>fileSystems: by name, sorted. nodesByFs: per file system, its nodes by target name (the maps
 * are not changed afterwards). health: content of health_check, "" when absent. lustreVersion:
 * {@code sys/fs/lustre/version}, "" when absent. scanMillis: when the scan started. parseErrors:
 * files that held garbage or vanished in this scan. readErrors: files that exist but could not be
 * read in this scan (EIO, ENOTCONN, EACCES). Any thread.
 */
public final class LustreSnapshot {
    public static final LustreSnapshot EMPTY = new LustreSnapshot(Map.of(), Map.of(), "", "", 0, 0, 0);

    private final Map<String, FileSystemState> fileSystems;
    private final Map<String, Map<String, NodeState>> nodesByFs;
    private final NodeIndex nodes;
    private final String health;
    private final String lustreVersion;
    private final long scanMillis;
    private final int parseErrors;
    private final int readErrors;

    public LustreSnapshot(Map<String, FileSystemState> fileSystems, Map<String, Map<String, NodeState>> nodesByFs,
                          String health, String lustreVersion, long scanMillis, int parseErrors, int readErrors) {
        // Not Map.copyOf: its open addressing probes badly on 100,000 names as alike as
        // "fs00-OST0001", "fs00-OST0002", ... (measured: most of a scan's CPU went there).
        this.fileSystems = Collections.unmodifiableMap(new TreeMap<>(fileSystems));
        this.nodesByFs = Collections.unmodifiableMap(new TreeMap<>(nodesByFs));
        this.nodes = new NodeIndex(this.nodesByFs);
        this.health = health;
        this.lustreVersion = lustreVersion;
        this.scanMillis = scanMillis;
        this.parseErrors = parseErrors;
        this.readErrors = readErrors;
    }

    public Map<String, FileSystemState> fileSystems() {
        return fileSystems;
    }

    public Map<String, Map<String, NodeState>> nodesByFs() {
        return nodesByFs;
    }

    public String health() {
        return health;
    }

    public String lustreVersion() {
        return lustreVersion;
    }

    public long scanMillis() {
        return scanMillis;
    }

    public int parseErrors() {
        return parseErrors;
    }

    public int readErrors() {
        return readErrors;
    }

    /** All nodes, by target name: a read-only view over {@link #nodesByFs()}. */
    public Map<String, NodeState> nodes() {
        return nodes;
    }

    /** The nodes of one file system (empty when unknown); the same map object while it is unchanged. */
    public Map<String, NodeState> nodesOf(String fs) {
        return nodesByFs.getOrDefault(fs, Map.of());
    }
}
