package org.lustre.collector.source;

import org.lustre.collector.trap.TrapEvent;

/**
 * Where a source hands its traps. {@link #submit} and {@link #repeat} never block: when the
 * hand-over queue is full the event is counted as dropped; the *Waiting variants wait for room.
 * Safe to call from any thread.
 */
public interface TrapSink {

    /** Hands one trap over; false when it was dropped because the queue was full. */
    boolean submit(TrapEvent event);

    /**
     * Hands one trap over, waiting for room while the queue is full, for a source that loses
     * less by waiting than by dropping: a regular trap file stays on disk; the kernel's ring keeps
     * its records until it wraps, far later than a full queue would drop them (and a wrap is
     * seen by the kernel log source as a gap in the sequence numbers). Returns false only when the
     * calling thread was interrupted (the source is closing); that trap is counted as dropped.
     */
    default boolean submitWaiting(TrapEvent event) {
        return submit(event);
    }

    /**
     * The source said "Skipped N previous similar messages": add {@code count} to the count of the
     * last trap this source submitted, instead of losing them.
     */
    void repeat(String source, int count);

    /** {@link #repeat}, waiting for room like {@link #submitWaiting}. */
    default void repeatWaiting(String source, int count) {
        repeat(source, count);
    }
}
