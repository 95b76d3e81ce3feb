package org.lustre.collector.monitor;

import java.util.List;

/** What getFileSystemInfo says about one file system. Immutable. */
record FileSystemInfo(String name, long nodes, List<String> notResponding, long kbytesTotal, long kbytesFree,
                      long traps) {
    FileSystemInfo {
        notResponding = List.copyOf(notResponding);
    }
}
