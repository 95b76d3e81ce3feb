package org.lustre.collector.source;

import org.lustre.collector.trap.TrapEvent;

/**
 * Where a source hands its traps. Implementations never block: when the hand-over queue is full
 * the event is counted as dropped. Safe to call from any thread.
 */
public interface TrapSink {

    /** Hands one trap over; false when it was dropped because the queue was full. */
    boolean submit(TrapEvent event);

    /**
     * Hands one trap over, waiting for room while the queue is full: for a source that loses
     * nothing by waiting (a regular trap file stays on disk; the kernel's ring does not). Returns
     * false only when the calling thread was interrupted (the source is closing); that trap is
     * counted as dropped.
     */
    default boolean submitWaiting(TrapEvent event) {
        return submit(event);
    }

    /**
     * The source said "Skipped N previous similar messages": add {@code count} to the count of the
     * last trap this source submitted, instead of losing them.
     */
    void repeat(String source, int count);
}
