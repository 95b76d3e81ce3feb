package org.lustre.collector.lustre;

import java.util.List;

/**
 * One file system as seen from this node. Immutable.
 *
 * @param name        file system name, e.g. {@code testfs}
 * @param nodes       its target names (MDTs then OSTs), sorted
 * @param kbytesTotal total OST space: the LOD's {@code kbytestotal} when this node has a LOD, else
 *                    the sum over the OSTs whose space is known; -1 unknown
 * @param kbytesFree  free OST space, the same way; -1 unknown
 */
public record FileSystemState(String name, List<String> nodes, long kbytesTotal, long kbytesFree) {
    public FileSystemState {
        nodes = List.copyOf(nodes);
    }
}
