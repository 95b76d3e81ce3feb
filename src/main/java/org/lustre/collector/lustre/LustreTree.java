package org.lustre.collector.lustre;

import java.io.IOException;
import java.util.List;

/**
 * The only way the collector reads Lustre's files. Paths are relative to {@code lustre-root}
 * and use '/', for example {@code proc/fs/lustre/lod/testfs-MDT0000-mdtlov/target_obd}.
 * Implementations must be safe for concurrent use (the watcher scans while RPC threads read
 * single nodes on demand).
 */
public interface LustreTree {

    /**
     * Whole content of a file, or null when it does not exist (a target that vanished mid-scan is
     * not an error). Reads without trusting the size that proc/sys report, capped at 1 MiB.
     *
     * @throws IOException when the file exists but cannot be read
     */
    String read(String path) throws IOException;

    /** Names of the entries of a directory, sorted; empty when it does not exist. */
    List<String> list(String dir) throws IOException;

    /** True when the path exists (file, directory or symlink target). */
    boolean exists(String path);
}
