package org.lustre.collector.forward;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.trap.TrapStore;

/**
 * Where traps go besides the XML-RPC API: Alertmanager ({@code alertmanager},
 * {@code alert-min-category}) and syslog ({@code syslog}). One {@link TrapFeed} thread follows the
 * store and hands traps to the outputs, each of which sends from its own thread through a bounded
 * queue, so nothing here can slow the watcher. With neither option set, nothing runs.
 * <p>Threads: built, started and closed by the collector; {@link #stats} and {@link #missed} from any thread.
 */
public final class Forwarding implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Forwarding.class);

    private final List<TrapOutput> outputs = new ArrayList<>();
    private final LongSupplier clock;
    private TrapFeed feed;

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
        feed = new TrapFeed(store, outputs, clock);
        feed.start();
    }

    /** Each destination's counters; empty when forwarding is off. */
    public List<OutputStats> stats() {
        return outputs.stream().flatMap(o -> o.stats().stream()).toList();
    }

    /** Traps that left the store before the feed read them, so no output got them. */
    public long missed() {
        TrapFeed f = feed;
        return f == null ? 0 : f.missed();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
        }
        for (TrapOutput o : outputs) {
            o.close();
        }
    }
}
