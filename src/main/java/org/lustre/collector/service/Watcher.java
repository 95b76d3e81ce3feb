package org.lustre.collector.service;

import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.StateChanges;
import org.lustre.collector.source.SourceHealth;
import org.lustre.collector.source.TrapQueue;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * The one writer of the trap store. Its daemon thread moves the traps that the sources and the
 * scan loop queued into the store, publishes storm aggregates when their window closes, and
 * watches the scan loop for a wedged Lustre read (docs/design.md, "Wedged reads"). Between those
 * it sleeps on the queue, waking at least once a second to look at the scan.
 * <p>
 * Each cycle runs in its own try/catch: one bad trap never ends the thread.
 */
final class Watcher implements Runnable {
    private static final Logger LOG = LogManager.getLogger(Watcher.class);
    private static final int DRAIN_BATCH = 10_000;
    /** Longest sleep between two looks at the scan loop. */
    private static final long LOOK_MILLIS = 1_000;

    private final LustreScanner scanner;
    private final ScanLoop scans;
    private final TreeReads reads;
    private final SourceHealth treeHealth;
    private final TrapStore store;
    private final TrapQueue queue;
    private final long stallMillis;
    private final LongSupplier clock;
    private volatile boolean running = true;
    /** When the stalled scan began, 0 when no stall is reported. Watcher thread only. */
    private long stalledSince;

    Watcher(LustreScanner scanner, ScanLoop scans, TreeReads reads, SourceHealth treeHealth, TrapStore store,
            TrapQueue queue, long stallMillis, LongSupplier clock) {
        this.scanner = scanner;
        this.scans = scans;
        this.reads = reads;
        this.treeHealth = treeHealth;
        this.store = store;
        this.queue = queue;
        this.stallMillis = stallMillis;
        this.clock = clock;
    }

    void stop() {
        running = false;
    }

    /** True while a scan is reported stalled. Any thread (a hint: refreshes skip the tree then). */
    boolean stalled() {
        return scans.scanStartedMillis() != 0
                && clock.getAsLong() - scans.scanStartedMillis() > stallMillis;
    }

    @Override
    public void run() {
        while (running) {
            try {
                queue.drainTo(this::apply, DRAIN_BATCH);
                store.tick();
                watchScan(clock.getAsLong());
                long wait = Math.min(store.nextDeadlineMillis() - clock.getAsLong(), LOOK_MILLIS);
                if (wait > 0 && queue.await(wait)) {
                    queue.drainTo(this::apply, DRAIN_BATCH);
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

    /** Reports a scan that runs too long once, and its end once. Package-private for tests. */
    void watchScan(long now) {
        long started = scans.scanStartedMillis();
        if (stalledSince == 0 && started != 0 && now - started > stallMillis) {
            stalledSince = started;
            String path = reads.current();
            String why = "Lustre tree read stalled for " + (now - started) / 1000 + " s"
                    + (path.isEmpty() ? "" : " at " + path)
                    + ": scans wait for it; the trap file and the kernel log are still followed";
            treeHealth.error(why);
            store.append(new TrapEvent("collector:tree-stalled:" + started, now, Category.CRITICAL, "", "",
                    why, "collector"));
        } else if (stalledSince != 0 && started != stalledSince) {
            String why = "Lustre tree reads answer again after " + (now - stalledSince) / 1000 + " s";
            LOG.info(why);
            store.append(new TrapEvent("collector:tree-answers:" + stalledSince, now, Category.INFO, "", "", why,
                    "collector"));
            stalledSince = 0;
        }
    }

    /** Writes one handed-over item into the store; a failure loses that item, not the batch. */
    void apply(TrapQueue.Item item) {
        try {
            if (item instanceof TrapQueue.Event e) {
                if (e.history()) {
                    store.appendHistory(e.event());
                } else {
                    store.append(e.event());
                }
                lookAt(e.event());
            } else if (item instanceof TrapQueue.Repeat r) {
                store.addRepeats(r.source(), r.count());
            }
        } catch (RuntimeException ex) {
            LOG.error("trap store refused {}", item, ex);
        }
    }

    /**
     * A trap from a source names a target (lost, restored, evicted): the scan thread reads that
     * target at once (see {@link ScanLoop#wake}). The scanner ignores names that are not targets;
     * the scan's own traps name targets it has just read.
     */
    private void lookAt(TrapEvent e) {
        if (!e.node().isEmpty() && !StateChanges.SOURCE.equals(e.source())) {
            if (scanner.prioritize(e.node())) {
                scans.wake();
            }
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
