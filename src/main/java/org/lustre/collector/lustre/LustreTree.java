package org.lustre.collector.lustre;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /**
     * The file's bytes, for a caller that keeps the last content of a file that seldom changes
     * (target_obd, read every scan): {@code previous} itself (the same array) when the file holds
     * exactly those bytes, else a new array; null when the file does not exist.
     * {@link FileLustreTree} compares in its read buffer, so an unchanged file costs no allocation
     * and no decoding; this default (enough for trees held in memory) encodes {@link #read}'s text.
     *
     * @param previous the bytes this returned last time for the path, or null
     * @throws IOException when the file exists but cannot be read
     */
    default byte[] readIfChanged(String path, byte[] previous) throws IOException {
        String text = read(path);
        if (text == null) {
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return previous != null && Arrays.equals(bytes, previous) ? previous : bytes;
    }

    /** Names of the entries of a directory, sorted; empty when it does not exist. */
    List<String> list(String dir) throws IOException;

    /** True when the path exists (file, directory or symlink target). */
    boolean exists(String path);
}
