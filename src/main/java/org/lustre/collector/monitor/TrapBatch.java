package org.lustre.collector.monitor;

import java.util.List;

/**
 * One getTrapRecords answer.
 *
 * @param traps   oldest first
 * @param cursor  to pass back next time
 * @param dropped traps that left the collector's store before this client read them
 */
record TrapBatch(List<RemoteTrap> traps, long cursor, long dropped) {
    TrapBatch {
        traps = List.copyOf(traps);
    }
}
