package org.lustre.collector.trap;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides, event by event, whether a trap is stored on its own or folded into a storm
 * aggregate, and hands over the aggregates whose time has come (the rules: docs/design.md,
 * "Storm folding"). Confined to the store's writer thread.
 * <p>
 * For each recently seen {@link StormKey} it keeps the last {@code threshold} arrival times (at
 * most {@link #MAX_TRACKED_KEYS} keys, least recently seen forgotten). At most
 * {@link #MAX_AGGREGATES} keys are coalesced at once; members of further storms go to one
 * catch-all aggregate per file system and category, so memory stays bounded.
 */
final class StormCoalescer {

    /** Most storms coalesced at once under their own key; more go to per fs+category catch-alls. */
    static final int MAX_AGGREGATES = 64;
    /** Most kinds of trap whose recent arrival times are remembered (least recently seen forgotten). */
    static final int MAX_TRACKED_KEYS = 4096;

    private final StormPolicy policy;
    /**
     * Each recently seen kind of trap: its arrival times and its open aggregate, so a trap costs
     * one lookup (access order: the least recently seen kind is forgotten first).
     */
    private final Map<StormKey, Tracked> recent = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StormKey, Tracked> eldest) {
            return size() > MAX_TRACKED_KEYS;
        }
    };
    /** The open aggregates by key, oldest first: what publishDue walks. */
    private final Map<StormKey, StormAggregate> pending = new LinkedHashMap<>();
    // bounded by the store's cap on file systems times 4 categories
    private final Map<StormKey, StormAggregate> catchAlls = new HashMap<>();
    /** Never later than the earliest real deadline; may be early (then publishDue just recomputes it). */
    private long nextDeadline = Long.MAX_VALUE;

    StormCoalescer(StormPolicy policy) {
        this.policy = policy;
    }

    /** Null when the event is to be stored now on its own; else the aggregate that took it. */
    StormAggregate offer(TrapEvent e, long nowMillis, boolean history) {
        StormKey key = StormKey.of(e);
        Tracked t = recent.computeIfAbsent(key, this::track);
        boolean burst = t.hit(nowMillis, policy.windowMillis());
        StormAggregate agg = t.aggregate;
        if (agg != null) {
            agg.add(e, key.network(), nowMillis);
            return agg;
        }
        if (!burst) {
            return null;
        }
        if (pending.size() < MAX_AGGREGATES) {
            agg = new StormAggregate(key, key, e, nowMillis, policy.maxNodeNames(), history);
            pending.put(key, agg);
            t.aggregate = agg;
            agg.tracked = t;
        } else {
            StormKey catchAll = StormKey.catchAll(e.fs(), e.category());
            agg = catchAlls.get(catchAll);
            if (agg != null) {
                agg.add(e, key.network(), nowMillis);
                return agg;
            }
            agg = new StormAggregate(catchAll, key, e, nowMillis, policy.maxNodeNames(), history);
            catchAlls.put(catchAll, agg);
        }
        nextDeadline = Math.min(nextDeadline, agg.deadline(policy));
        return agg;
    }

    /** A new key's record; when the key was forgotten while its aggregate stayed open, it finds it again. */
    private Tracked track(StormKey key) {
        Tracked t = new Tracked(policy.threshold());
        StormAggregate open = pending.get(key);
        if (open != null) {
            t.aggregate = open;
            open.tracked = t;
        }
        return t;
    }

    long nextDeadline() {
        return nextDeadline;
    }

    /**
     * Characters the keys of the tracked kinds and open aggregates keep alive: at most
     * ({@link #MAX_TRACKED_KEYS} + {@link #MAX_AGGREGATES}) times {@link StormKey#MAX_RETAINED_CHARS}
     * plus the catch-alls' fs names, whatever the messages. Walks every key: tests only.
     */
    long retainedKeyChars() {
        long n = 0;
        for (StormKey k : recent.keySet()) {
            n += k.retainedChars();
        }
        for (StormKey k : pending.keySet()) {
            n += k.retainedChars();
        }
        for (StormKey k : catchAlls.keySet()) {
            n += k.retainedChars();
        }
        return n;
    }

    /** Removes every aggregate due at {@code nowMillis} and gives it to {@code publish}, oldest first. */
    void publishDue(long nowMillis, Consumer<StormAggregate> publish) {
        if (nowMillis < nextDeadline) {
            return;
        }
        long next = Long.MAX_VALUE;
        next = publishDue(pending, nowMillis, publish, next);
        next = publishDue(catchAlls, nowMillis, publish, next);
        nextDeadline = next;
    }

    private long publishDue(Map<StormKey, StormAggregate> aggs, long nowMillis, Consumer<StormAggregate> publish,
                            long next) {
        for (Iterator<StormAggregate> it = aggs.values().iterator(); it.hasNext(); ) {
            StormAggregate agg = it.next();
            long deadline = agg.deadline(policy);
            if (deadline <= nowMillis) {
                it.remove();
                if (agg.tracked != null && agg.tracked.aggregate == agg) {
                    agg.tracked.aggregate = null;
                }
                publish.accept(agg);
            } else {
                next = Math.min(next, deadline);
            }
        }
        return next;
    }

    /** One recently seen key: its last {@code threshold} arrival times, in a small ring, and its open aggregate. */
    static final class Tracked {
        private final long[] times;
        private int oldest;
        private int filled;
        /** The key's aggregate while it is pending (not the catch-all its members may go to). */
        StormAggregate aggregate;

        Tracked(int threshold) {
            times = new long[threshold];
        }

        /** Records an arrival; true when it is more than threshold alike within the window. */
        boolean hit(long nowMillis, long windowMillis) {
            boolean burst = filled == times.length && nowMillis - times[oldest] < windowMillis;
            times[oldest] = nowMillis;
            oldest = oldest + 1 == times.length ? 0 : oldest + 1;
            if (filled < times.length) {
                filled++;
            }
            return burst;
        }
    }
}
