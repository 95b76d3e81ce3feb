package org.lustre.collector.web;

import java.util.function.LongSupplier;

import org.apache.logging.log4j.Logger;

/**
 * One log line per interval for an event that outsiders can repeat at will (a refused request):
 * the first occurrence of an interval is logged in full, the others are only counted, and the
 * count is logged (with how many distinct peers) by the first occurrence after the interval. So
 * a flood from any number of addresses writes at most two lines an interval. No thread of its
 * own: a count still pending when the flood stops is logged with the next occurrence. Any thread.
 */
final class RateLimitedLog {
    /** Distinct peers counted per interval, at most (beyond it the summary says "at least"). */
    static final int MAX_PEERS_COUNTED = 10_000;

    private final Logger log;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final String what;

    private long windowStart = Long.MIN_VALUE;
    private long suppressed;
    private final java.util.Set<String> peers = new java.util.HashSet<>();

    /**
     * @param what the summary's noun, e.g. "refused requests"
     */
    RateLimitedLog(Logger log, long intervalMillis, LongSupplier clock, String what) {
        this.log = log;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.what = what;
    }

    /** One occurrence from {@code peer}; {@code line} (a log4j message with {} holes) is logged if it is the interval's first. */
    synchronized void warn(String peer, String line, Object... args) {
        long now = clock.getAsLong();
        if (windowStart != Long.MIN_VALUE && now - windowStart < intervalMillis) {
            suppressed++;
            if (peers.size() < MAX_PEERS_COUNTED) {
                peers.add(peer);
            }
            return;
        }
        if (suppressed > 0) {
            log.warn("{} more {} from {}{} peer{} in the {} s before (not logged one by one)", suppressed, what,
                    peers.size() >= MAX_PEERS_COUNTED ? "at least " : "", peers.size(), peers.size() == 1 ? "" : "s",
                    (now - windowStart) / 1000);
        }
        windowStart = now;
        suppressed = 0;
        peers.clear();
        log.warn(line, args);
    }
}
