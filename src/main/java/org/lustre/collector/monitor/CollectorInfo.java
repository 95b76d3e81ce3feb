package org.lustre.collector.monitor;

import java.util.List;

/** What getCollectorInfo says. Immutable; numbers 0 when absent. */
record CollectorInfo(String version, long started, int maxtraps, long trapsReceived, long trapsStored,
                     long trapsDropped, List<SourceInfo> sources) {
    CollectorInfo {
        sources = List.copyOf(sources);
    }

    /** One trap source of the collector: name, state ("ok" or "error"), message. */
    record SourceInfo(String name, String state, String message) {
    }
}
