package org.lustre.collector.forward;

import java.util.Map;

/**
 * One alert as Alertmanager's API v2 takes it. Immutable.
 *
 * @param labels      identity: Alertmanager merges alerts with equal label sets, so these must be
 *                    the same on both collectors of an MDS pair (no count, no host, no time)
 * @param annotations text that may differ (summary, count, nodes, source)
 * @param startsMillis when it started, epoch milliseconds
 * @param endsMillis  when it ended (resolved), epoch milliseconds; 0 = still firing
 */
record Alert(Map<String, String> labels, Map<String, String> annotations, long startsMillis, long endsMillis) {
    Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    Alert resolvedAt(long millis) {
        return new Alert(labels, annotations, startsMillis, Math.max(millis, startsMillis));
    }
}
