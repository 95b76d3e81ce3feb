package org.lustre.collector.service;

import java.util.List;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.StateChanges;
import org.lustre.collector.source.TrapQueue;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * The one writer of the trap store. Its daemon thread scans the Lustre tree every interval,
 * turns state changes into traps, moves the traps that source threads queued into the store and
 * publishes storm aggregates when their window closes. Between those it sleeps on the queue, so
 * an idle collector wakes once per interval and nothing polls.
 * <p>
 * Each cycle runs in its own try/catch: one bad scan or trap never ends the thread. A scan that
 * takes longer than the interval is logged (the next one starts at once; no backlog builds up).
 */
final class Watcher implements Runnable {
    private static final Logger LOG = LogManager.getLogger(Watcher.class);
    private static final int DRAIN_BATCH = 10_000;

    private final LustreScanner scanner;
    private final TrapStore store;
    private final TrapQueue queue;
    private final long intervalMillis;
    private final LongSupplier clock;
    private final Collector.ScanListener listener;
    private volatile boolean running = true;
    private LustreSnapshot previous = LustreSnapshot.EMPTY;

    Watcher(LustreScanner scanner, TrapStore store, TrapQueue queue, long intervalMillis, LongSupplier clock,
            Collector.ScanListener listener) {
        this.scanner = scanner;
        this.store = store;
        this.queue = queue;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
        this.listener = listener;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long nextScan = clock.getAsLong();
        while (running) {
            try {
                long now = clock.getAsLong();
                if (now >= nextScan) {
                    scanOnce(now);
                    long after = clock.getAsLong();
                    nextScan = Math.max(now + intervalMillis, after);
                }
                queue.drainTo(store, DRAIN_BATCH, this::lookAt);
                store.tick();
                long wake = Math.min(nextScan, store.nextDeadlineMillis());
                long wait = wake - clock.getAsLong();
                if (wait > 0 && queue.await(wait)) {
                    queue.drainTo(store, DRAIN_BATCH, this::lookAt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | AssertionError e) {
                LOG.error("watcher cycle failed; going on", e);
                sleepQuietly();
            }
        }
        LOG.debug("watcher stopped");
    }

    /**
     * A trap from a source names a target (lost, restored, evicted): read that target first at the
     * next scan, so its state follows the kernel log within one interval. Names that are not
     * targets (NIDs, "MGS") are ignored by the scanner.
     */
    private void lookAt(TrapEvent e) {
        if (!e.node().isEmpty()) {
            scanner.prioritize(e.node());
        }
    }

    /** One scan: publish the snapshot, then the traps its changes raise. Package-private for tests. */
    void scanOnce(long now) {
        LustreSnapshot snapshot = scanner.scan(now);
        long took = clock.getAsLong() - now;
        List<TrapEvent> changes = StateChanges.diff(previous, snapshot, scanner::stateSince);
        previous = snapshot;
        listener.scanned(snapshot, took);
        for (TrapEvent e : changes) {
            store.append(e);
        }
        if (took > intervalMillis) {
            LOG.warn("scan took {} ms, longer than the interval of {} ms", took, intervalMillis);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
