package org.lustre.collector.service;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.StateChanges;
import org.lustre.collector.source.TrapSink;
import org.lustre.collector.trap.TrapEvent;

/**
 * Scans the Lustre tree every interval on a thread of its own ("lustre-scanner") and hands the
 * traps its state changes raise to the watcher through the queue, like any source. Its own
 * thread, so that a wedged Lustre read stops only the scans (docs/design.md, "Wedged reads"):
 * the watcher sees the scan running too long ({@link #scanStartedMillis}) and says so.
 * <p>
 * Between scans it sleeps, and wakes for the targets a source names ({@link #wake}): a kernel-log
 * disconnect is read within a fraction of a second, not at the next scan.
 * <p>
 * Each scan runs in its own try/catch: one bad scan never ends the thread.
 */
final class ScanLoop implements Runnable {
    private static final Logger LOG = LogManager.getLogger(ScanLoop.class);

    private final LustreScanner scanner;
    private final TrapSink sink;
    private final long intervalMillis;
    private final LongSupplier clock;
    /** Gets each snapshot published, and the scan's duration (-1 for a read of named targets). */
    private final ObjLongConsumer<LustreSnapshot> listener;
    /**
     * Reads of named targets at most once this often, each of at most one budget: a trap storm
     * naming thousands of targets costs the scan thread one budget of full reads a second, and
     * the first name after a quiet spell is read at once.
     */
    static final long NAMED_GAP_MILLIS = 1_000;

    private volatile boolean running = true;
    private final Object wakeLock = new Object();
    /** Guarded by wakeLock. */
    private boolean woken;
    private volatile long scanStartedMillis;
    private LustreSnapshot previous = LustreSnapshot.EMPTY;

    ScanLoop(LustreScanner scanner, TrapSink sink, long intervalMillis, LongSupplier clock,
             ObjLongConsumer<LustreSnapshot> listener) {
        this.scanner = scanner;
        this.sink = sink;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.listener = listener;
    }

    void stop() {
        running = false;
        wake();
    }

    /** When the scan in progress started, epoch milliseconds; 0 when none is running. Any thread. */
    long scanStartedMillis() {
        return scanStartedMillis;
    }

    /**
     * A source named a target (see {@link LustreScanner#prioritize}): read it now instead of at
     * the next scan. Any thread.
     */
    void wake() {
        synchronized (wakeLock) {
            woken = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            while (running) {
                long now = clock.getAsLong();
                if (!deliver(() -> scanOnce(now, false))) {
                    return;
                }
                waitForNextScan(now + intervalMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sleeps until {@code deadline}, reading the targets sources name meanwhile, at most one such
     * read every {@link #NAMED_GAP_MILLIS} (a storm naming 10,000 OSTs is read a budget at a time).
     */
    private void waitForNextScan(long deadline) throws InterruptedException {
        while (running) {
            long wait = deadline - clock.getAsLong();
            if (wait <= 0 || !awaitWake(wait) || !running) {
                return;
            }
            if (!deliver(() -> scanOnce(clock.getAsLong(), true))) {
                throw new InterruptedException();
            }
            long rest = deadline - clock.getAsLong();
            if (rest > 0) {
                Thread.sleep(Math.min(NAMED_GAP_MILLIS, rest));
            }
        }
    }

    /** True when woken within {@code millis}; clears the wake. */
    private boolean awaitWake(long millis) throws InterruptedException {
        synchronized (wakeLock) {
            if (!woken) {
                wakeLock.wait(millis);
            }
            boolean w = woken;
            woken = false;
            return w;
        }
    }

    /** Runs one scan or read and hands its traps over; false when interrupted (closing). */
    private boolean deliver(Supplier<List<TrapEvent>> scan) {
        try {
            for (TrapEvent e : scan.get()) {
                if (!sink.submit(e)) {
                    return false;
                }
            }
        } catch (RuntimeException | AssertionError e) {
            LOG.error("scan failed; going on", e);
        }
        return true;
    }

    /**
     * One scan, or with {@code named} a read of the targets sources named since the last scan
     * ({@link LustreScanner#scanNamed}): publishes the snapshot and returns the traps its changes
     * raise. Scan thread only (tests call it directly with a clock of their own).
     */
    List<TrapEvent> scanOnce(long now, boolean named) {
        scanStartedMillis = Math.max(1, now);
        try {
            LustreSnapshot snapshot = named ? scanner.scanNamed(now) : scanner.scan(now);
            if (snapshot == null) {
                return List.of(); // no target named
            }
            long took = named ? -1 : clock.getAsLong() - now;
            List<TrapEvent> changes = StateChanges.diff(previous, snapshot, scanner::stateSince);
            previous = snapshot;
            listener.accept(snapshot, took);
            if (took > intervalMillis) {
                LOG.warn("scan took {} ms, longer than the interval of {} ms", took, intervalMillis);
            }
            return changes;
        } finally {
            scanStartedMillis = 0;
        }
    }
}
