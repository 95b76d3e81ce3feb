package org.lustre.collector.lustre;

import java.util.List;

/**
 * One file system as seen from this MDS. Immutable.
 *
 * @param name        file system name, e.g. {@code testfs}
 * @param nodes       its target names (MDTs then OSTs), sorted
 * @param kbytesTotal total space from the LOD ({@code lod/<fs>-MDT0000-mdtlov/kbytestotal}); -1 unknown
 * @param kbytesFree  free space from the LOD; -1 unknown
 */
public record FileSystemState(String name, List<String> nodes, long kbytesTotal, long kbytesFree) {
    public FileSystemState {
        nodes = List.copyOf(nodes);
    }
}
