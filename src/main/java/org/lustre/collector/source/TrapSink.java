package org.lustre.collector.source;

import org.lustre.collector.trap.TrapEvent;

/**
 * Where a source hands its traps. Every method waits for room while the hand-over queue is full,
 * rather than drop: a regular trap file stays on disk and the kernel's ring keeps its records until
 * it wraps, far later than a full queue would drop them (a wrap is seen by the kernel log source
 * as a gap in the sequence numbers); a FIFO's writer waits. Safe to call from any thread.
 */
public interface TrapSink {

    /**
     * Hands over one trap that happens now. Returns false only when the calling thread was
     * interrupted while waiting (the source is closing); that trap is counted as dropped.
     */
    boolean submit(TrapEvent event);

    /**
     * Hands over one trap read back from history at start-up (the trap file's lines already there,
     * the kernel's ring): the store times it by its event, so that a restarted collector does not
     * send getTraps clients what its previous run sent them. As {@link #submit} otherwise.
     */
    boolean replay(TrapEvent event);

    /**
     * The source said "Skipped N previous similar messages": add {@code count} to the count of the
     * last trap this source submitted, instead of losing them.
     */
    void repeat(String source, int count);
}
