package org.lustre.collector.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.Threads;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;

/**
 * Where traps go besides the XML-RPC API: Alertmanager ({@code alertmanager},
 * {@code alert-min-category}) and syslog ({@code syslog}). One thread, {@code lustre-forward},
 * follows the store with a cursor like any getTrapRecords client and hands every trap to the
 * outputs, each of which sends from its own thread through a bounded queue, so the watcher never
 * knows it exists and never waits for it (the store's readers take no lock). With neither option
 * set, nothing runs.
 * <p>
 * The feed polls every {@value #POLL_MILLIS} ms, at once again while pages come back full. Traps
 * that left the ring before the feed read them (a burst of more than maxtraps distinct traps
 * within one poll) are counted as {@link #missed()}.
 * <p>Threads: built, started and closed by the collector; {@link #stats} and {@link #missed} from any thread.
 */
public final class Forwarding implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Forwarding.class);
    static final long POLL_MILLIS = 200;
    private static final long TICK_MILLIS = 1_000;

    private final List<TrapOutput> outputs = new ArrayList<>();
    private final LongSupplier clock;
    private final AtomicLong missed = new AtomicLong();
    private volatile boolean running = true;
    private TrapStore store;
    private Thread feed;
    private long cursor;
    private long lastTick;

    public Forwarding(CollectorConfig config, LongSupplier clock) {
        this.clock = clock;
        if (!config.alertmanagers().isEmpty()) {
            outputs.add(new AlertOutput(config.alertmanagers(), config.alertMinCategory()));
        }
        if (config.syslog() != null) {
            outputs.add(new SyslogOutput(config.syslog()));
        }
    }

    /** Starts the outputs and the feed, which begins with the oldest trap stored. */
    public synchronized void start(TrapStore store) {
        if (outputs.isEmpty() || feed != null) {
            return;
        }
        for (TrapOutput o : outputs) {
            o.start();
            for (OutputStats s : o.stats()) {
                LOG.info("forwarding traps to {} {}", s.kind(), s.target());
            }
        }
        this.store = store;
        feed = Threads.daemon(this::run, "lustre-forward");
        feed.start();
    }

    /** Each destination's counters; empty when forwarding is off. */
    public List<OutputStats> stats() {
        return outputs.stream().flatMap(o -> o.stats().stream()).toList();
    }

    /** Traps that left the store before the feed read them, so no output got them. */
    public long missed() {
        return missed.get();
    }

    /** One poll: reads what is new and hands it on; true when the page was full (more may wait). Feed thread. */
    private boolean pollOnce() {
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

    @Override
    public synchronized void close() {
        running = false;
        Threads.stop(feed, 2_000);
        for (TrapOutput o : outputs) {
            o.close();
        }
    }
}
