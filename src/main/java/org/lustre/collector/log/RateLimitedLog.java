package org.lustre.collector.log;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.Logger;

/**
 * The one way this collector rate-limits a warning that input can repeat at will (an unparsable
 * line, a refused request, a wrapped kernel ring, a garbage Lustre file): the first occurrence of
 * an interval is logged in full, the others are only counted, and that count (with how many
 * distinct peers, when the caller names them) is logged by the first occurrence after the
 * interval. So a flood writes at most two lines an interval. No thread of its own: a count still
 * pending when the flood stops is logged with the next occurrence.
 *
 * <p>Why not log4j2's {@code BurstFilter}: it limits by level for every event through one logger
 * or appender, so a flood of one kind would silence the others; it drops without a count; and it
 * reads the wall clock, where the scanner throttles on its own scan clock and tests on theirs.
 *
 * <p>Any thread; one instance per kind of event.
 */
public final class RateLimitedLog {
    /** The interval all callers use. */
    public static final long MINUTE_MILLIS = 60_000;
    /** Distinct peers counted per interval, at most (beyond it the summary says "at least"). */
    static final int MAX_PEERS_COUNTED = 10_000;

    private final Logger log;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final String what;

    private long windowStart = Long.MIN_VALUE;
    private long suppressed;
    private final Set<String> peers = new HashSet<>();

    /**
     * @param clock milliseconds, of any origin (the wall clock, a scan clock, a test's)
     * @param what the summary's noun, e.g. "refused requests"
     */
    public RateLimitedLog(Logger log, long intervalMillis, LongSupplier clock, String what) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalMillis);
        }
        this.log = log;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.what = what;
    }

    /** One occurrence: {@code line} (a log4j message with {} holes) is logged if it is the interval's first. */
    public void warn(String line, Object... args) {
        warnFrom(null, line, args);
    }

    /** As {@link #warn}, from {@code peer} (null: none), so the summary can say how many peers. */
    public synchronized void warnFrom(String peer, String line, Object... args) {
        long now = clock.getAsLong();
        // A clock that went back opens a new interval rather than silencing the kind until it catches up.
        if (windowStart != Long.MIN_VALUE && now >= windowStart && now - windowStart < intervalMillis) {
            suppressed++;
            if (peer != null && peers.size() < MAX_PEERS_COUNTED) {
                peers.add(peer);
            }
            return;
        }
        if (suppressed > 0) {
            long seconds = Math.max(0, now - windowStart) / 1000;
            if (peers.isEmpty()) {
                log.warn("{} more {} in the {} s before (not logged one by one)", suppressed, what, seconds);
            } else {
                log.warn("{} more {} from {}{} peer{} in the {} s before (not logged one by one)", suppressed, what,
                        peers.size() >= MAX_PEERS_COUNTED ? "at least " : "", peers.size(),
                        peers.size() == 1 ? "" : "s", seconds);
            }
        }
        windowStart = now;
        suppressed = 0;
        peers.clear();
        log.warn(line, args);
    }
}
