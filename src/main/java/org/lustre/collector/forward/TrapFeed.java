package org.lustre.collector.forward;

import org.lustre.collector.Threads;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;

/**
 * Follows the trap store with a cursor on its own thread and hands every trap to the outputs,
 * like any getTrapRecords client: the watcher never knows it exists and never waits for it (the
 * store's readers take no lock). Polls every {@value #POLL_MILLIS} ms, at once again while pages
 * come back full. Traps that left the ring before the feed read them (a burst of more than
 * maxtraps distinct traps within one poll) are counted as {@link #missed()}.
 * <p>Threads: {@link #start}, {@link #close} from the owner; {@link #missed} from any thread.
 */
final class TrapFeed implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(TrapFeed.class);
    static final long POLL_MILLIS = 200;
    private static final long TICK_MILLIS = 1_000;

    private final TrapStore store;
    private final List<TrapOutput> outputs;
    private final LongSupplier clock;
    private final AtomicLong missed = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;
    private long cursor;
    private long lastTick;

    TrapFeed(TrapStore store, List<TrapOutput> outputs, LongSupplier clock) {
        this.store = store;
        this.outputs = List.copyOf(outputs);
        this.clock = clock;
    }

    /** Starts with the oldest trap stored. */
    synchronized void start() {
        thread = Threads.daemon(this::run, "lustre-forward");
        thread.start();
    }

    /** One poll: reads what is new and hands it on; true when the page was full (more may wait). Feed thread. */
    boolean pollOnce() {
        int limit = Math.max(1, store.capacity());
        TrapStore.Page page = store.read(cursor, limit);
        if (page.dropped() > 0) {
            missed.addAndGet(page.dropped());
        }
        cursor = page.cursor();
        for (Trap t : page.traps()) {
            for (TrapOutput o : outputs) {
                try {
                    o.accept(t);
                } catch (RuntimeException e) {
                    LOG.warn("forwarding trap {}: {}", t.id(), e.toString());
                }
            }
        }
        long now = clock.getAsLong();
        if (now - lastTick >= TICK_MILLIS || now < lastTick) {
            lastTick = now;
            for (TrapOutput o : outputs) {
                try {
                    o.tick(now);
                } catch (RuntimeException e) {
                    LOG.warn("forwarding tick: {}", e.toString());
                }
            }
        }
        return page.traps().size() >= limit;
    }

    private void run() {
        while (running) {
            boolean more;
            try {
                more = pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("trap feed: {}", e.toString());
                more = false;
            }
            if (!more) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Traps that left the store before the feed read them: sent to no output. */
    long missed() {
        return missed.get();
    }

    @Override
    public synchronized void close() {
        running = false;
        Threads.stop(thread, 2_000);
    }
}
