package org.lustre.collector.monitor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What getFileSystemInfo says about one file system. Immutable. */
record FileSystemInfo(String name, long nodes, List<String> notResponding, long kbytesTotal, long kbytesFree) {
    FileSystemInfo {
        nodes = Math.max(nodes, 0); // a broken collector's negative count shows as none
        notResponding = List.copyOf(notResponding);
    }

    /**
     * This file system as two collectors see it (both MDS of a pair may know it): node count and
     * space from the larger answer, the targets not responding united.
     */
    FileSystemInfo merge(FileSystemInfo other) {
        Set<String> down = new LinkedHashSet<>(notResponding);
        down.addAll(other.notResponding);
        FileSystemInfo space = other.kbytesTotal > kbytesTotal ? other : this;
        return new FileSystemInfo(name, Math.max(nodes, other.nodes), List.copyOf(down), space.kbytesTotal,
                space.kbytesFree);
    }
}
