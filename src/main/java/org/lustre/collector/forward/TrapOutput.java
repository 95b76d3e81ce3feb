package org.lustre.collector.forward;

import java.util.List;

import org.lustre.collector.trap.Trap;

/**
 * Somewhere traps are forwarded to (Alertmanager, syslog). {@link #accept} is called by the
 * {@link Forwarding}'s feed thread for every trap the store publishes and must never block: an output
 * queues what it sends and sends on its own thread. {@link #stats} may be called from any thread.
 */
interface TrapOutput extends AutoCloseable {

    void start();

    void accept(Trap trap);

    /** Called by the feed thread about once a second, for outputs that resend or expire things. */
    default void tick(long nowMillis) {
    }

    /** One entry per destination (several Alertmanagers are several entries). */
    List<OutputStats> stats();

    /** Stops the sending thread; what is still queued is lost (counted nowhere: the process ends). */
    @Override
    void close();
}
