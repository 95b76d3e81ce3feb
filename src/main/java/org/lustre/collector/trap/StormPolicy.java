package org.lustre.collector.trap;

/**
 * When alike traps count as a storm and how long a storm aggregate is held before it is
 * published (see {@link TrapStore}'s comment on coalescing). Immutable; any thread.
 *
 * @param threshold    how many alike traps within {@code windowMillis} are still stored one by one;
 *                     the next alike one starts an aggregate (1..1000: the store keeps this many
 *                     arrival times per recently seen kind of trap)
 * @param windowMillis the rate window, and how long a key must stay quiet before its aggregate is published
 * @param holdMillis   an aggregate is published at the latest this long after its first member, even
 *                     while the storm goes on (the next members start a new aggregate); at least windowMillis
 * @param maxNodeNames how many distinct node names a coalesced trap lists (0..1000)
 */
public record StormPolicy(int threshold, long windowMillis, long holdMillis, int maxNodeNames) {

    /** 5 alike within 1 s are stored singly; aggregates flush after 1 s of quiet or 3 s of age; 10 names. */
    public static final StormPolicy DEFAULT = new StormPolicy(5, 1000, 3000, 10);

    public StormPolicy {
        if (threshold < 1 || threshold > 1000) {
            throw new IllegalArgumentException("storm threshold must be 1-1000: " + threshold);
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("storm window must be at least 1 ms: " + windowMillis);
        }
        if (holdMillis < windowMillis) {
            throw new IllegalArgumentException("storm hold (" + holdMillis + " ms) shorter than the window ("
                    + windowMillis + " ms)");
        }
        if (maxNodeNames < 0 || maxNodeNames > 1000) {
            throw new IllegalArgumentException("storm node names must be 0-1000: " + maxNodeNames);
        }
    }
}
