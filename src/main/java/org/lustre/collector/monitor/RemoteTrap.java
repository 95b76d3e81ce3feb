package org.lustre.collector.monitor;

/**
 * One trap as a collector's getTrapRecords sends it (the README's API table). Times are epoch
 * seconds. Immutable.
 */
record RemoteTrap(String id, long time, long eventTime, int category, String node, String fs, String message,
                  int count, String source) {

    /**
     * When the event happened: the source's time when it gave one, else the receive time. The
     * monitor sorts, filters (--since) and prints by it, because receive times differ between the
     * two collectors and restart with a collector that re-reads the kernel log.
     */
    long when() {
        return eventTime > 0 ? eventTime : time;
    }
}
