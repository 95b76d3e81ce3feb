package org.lustre.collector.service;

import java.util.List;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.StateChanges;
import org.lustre.collector.source.TrapSink;
import org.lustre.collector.trap.TrapEvent;

/**
 * Scans the Lustre tree every interval on a thread of its own ("lustre-scanner") and hands the
 * traps its state changes raise to the watcher through the queue, like any source.
 * <p>
 * Why not on the watcher thread: a read of a wedged Lustre (procfs or debugfs blocked in the
 * kernel) never returns, and a scan on the watcher thread would stop the intake of every other
 * trap with it. Here it stops only the scans; the watcher sees the scan running too long
 * ({@link #scanStartedMillis}) and says so (a trap, the {@code lustre-tree} source in error).
 * Java cannot cancel a blocked file read, so the scan goes on when the read returns.
 * <p>
 * Each scan runs in its own try/catch: one bad scan never ends the thread.
 */
final class ScanLoop implements Runnable {
    private static final Logger LOG = LogManager.getLogger(ScanLoop.class);

    private final LustreScanner scanner;
    private final TrapSink sink;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Collector.ScanListener listener;
    private volatile boolean running = true;
    /** When the scan in progress started (epoch ms); 0 between scans. */
    private volatile long scanStartedMillis;
    private LustreSnapshot previous = LustreSnapshot.EMPTY;

    ScanLoop(LustreScanner scanner, TrapSink sink, long intervalMillis, LongSupplier clock,
             Collector.ScanListener listener) {
        this.scanner = scanner;
        this.sink = sink;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.listener = listener;
    }

    void stop() {
        running = false;
    }

    /** When the scan in progress started, epoch milliseconds; 0 when none is running. Any thread. */
    long scanStartedMillis() {
        return scanStartedMillis;
    }

    @Override
    public void run() {
        while (running) {
            long now = clock.getAsLong();
            try {
                for (TrapEvent e : scanOnce(now)) {
                    if (!sink.submit(e)) {
                        return; // interrupted: closing
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                LOG.error("scan failed; going on", e);
            }
            long wait = now + intervalMillis - clock.getAsLong();
            try {
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * One scan: publishes the snapshot and returns the traps its changes raise. Scan thread only
     * (tests call it directly with a clock of their own).
     */
    List<TrapEvent> scanOnce(long now) {
        scanStartedMillis = Math.max(1, now);
        try {
            LustreSnapshot snapshot = scanner.scan(now);
            long took = clock.getAsLong() - now;
            List<TrapEvent> changes = StateChanges.diff(previous, snapshot, scanner::stateSince);
            previous = snapshot;
            listener.scanned(snapshot, took);
            if (took > intervalMillis) {
                LOG.warn("scan took {} ms, longer than the interval of {} ms", took, intervalMillis);
            }
            return changes;
        } finally {
            scanStartedMillis = 0;
        }
    }
}
