package org.lustre.collector.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.ObjLongConsumer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.Threads;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.forward.Forwarding;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.LustreTree;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.source.KmsgSource;
import org.lustre.collector.source.SourceHealth;
import org.lustre.collector.source.TrapFileSource;
import org.lustre.collector.source.TrapQueue;
import org.lustre.collector.trap.StormPolicy;
import org.lustre.collector.trap.TrapStore;

/**
 * One running collector: the trap store, the latest Lustre snapshot, the sources and the watcher
 * thread that ties them. Built and started by the webapp's context listener, closed when the
 * context stops. Readers (the XML-RPC threads) may call every getter concurrently; only the
 * watcher thread writes the store.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Collector.class);
    /**
     * Targets read in full per scan by the round robin (docs/design.md, "Read schedule"). At
     * 100,000 OSTs with the packaged flags 250 cost 0.25% of a core more than 100, 100 only
     * 0.08% more than 50; with 100 every OST's space is re-read within 1,000 scans (83 min at
     * 5 s), and getNodeInfo reads a stale node on demand.
     */
    public static final int OST_DETAIL_BUDGET = 100;
    /** Longest a getNodeInfo waits for a fresh read of its node before it answers the last one. */
    static final long REFRESH_WAIT_MILLIS = 2_000;
    /**
     * Traps waiting for the watcher. Small on purpose: in a storm the queue stays full, and every
     * young collection copies what it holds (65,536 events are ~30 MiB and 100+ ms pauses that API
     * calls wait on). Sources wait for room instead of dropping (see {@link TrapQueue}).
     */
    private static final int QUEUE_CAPACITY = 4_096;

    private final CollectorConfig config;
    private final LongSupplier clock;
    private final LustreTree tree;
    private final LustreScanner scanner;
    private final TrapStore store;
    private final TrapQueue queue = new TrapQueue(QUEUE_CAPACITY);
    private final List<SourceHealth> sources = new ArrayList<>();
    /** The Lustre tree as a source: "error" while files exist that cannot be read (getCollectorInfo). */
    private final SourceHealth treeHealth;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final long startedMillis;
    private final ScanLoop scanLoop;
    private final Watcher watcher;
    /** Reads one node for getNodeInfo: one thread and no queue (docs/design.md, "Wedged reads"). */
    private final ThreadPoolExecutor refresher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(), r -> Threads.daemon(r, "lustre-refresh"));
    /** Alertmanager and syslog: follows the store on its own thread, never called by the watcher. */
    private final Forwarding forwarding;
    private Thread watcherThread;
    private Thread scanThread;

    private volatile LustreSnapshot snapshot = LustreSnapshot.EMPTY;
    private volatile boolean ready;
    private volatile long lastScanDuration;

    public Collector(CollectorConfig config) {
        this(config, System::currentTimeMillis);
    }

    public Collector(CollectorConfig config, LongSupplier clock) {
        this(config, clock, new FileLustreTree(config.lustreRoot()));
    }

    /** With another tree: tests, and platforms where Lustre's files come from elsewhere. */
    Collector(CollectorConfig config, LongSupplier clock, LustreTree tree) {
        this(config, clock, tree, Math.max(3_000L * config.intervalSeconds(), 15_000));
    }

    /**
     * @param stallMillis a scan running longer than this is reported stalled (a wedged Lustre read):
     *                    three intervals, at least 15 s; tests pass less
     */
    Collector(CollectorConfig config, LongSupplier clock, LustreTree tree, long stallMillis) {
        this.config = config;
        this.clock = clock;
        this.startedMillis = clock.getAsLong();
        TreeReads reads = new TreeReads(tree);
        this.tree = reads;
        this.scanner = new LustreScanner(this.tree, OST_DETAIL_BUDGET,
                LustreScanner.sweepScans(config.sweepSeconds(), config.intervalSeconds()));
        this.treeHealth = new SourceHealth("lustre-tree", config.lustreRoot().toString());
        this.store = new TrapStore(config.maxTraps(), StormPolicy.DEFAULT, clock);
        this.scanLoop = new ScanLoop(scanner, queue, config.intervalSeconds() * 1000L, clock, this::scanned);
        this.watcher = new Watcher(scanner, scanLoop, reads, treeHealth, store, queue, stallMillis, clock);
        this.forwarding = new Forwarding(config, clock);
    }

    /** Starts the sources and the watcher thread. */
    public synchronized void start() {
        Path trapFile = config.trapFile();
        if (trapFile != null) {
            SourceHealth h = new SourceHealth("trapfile", trapFile.toString());
            TrapFileSource s = new TrapFileSource(trapFile, queue, h);
            sources.add(h);
            running.add(s);
            s.start();
        }
        Path kmsg = config.kmsg();
        if (kmsg != null) {
            SourceHealth h = new SourceHealth("kmsg", kmsg.toString());
            KmsgSource s = new KmsgSource(kmsg, tree, queue, h, clock);
            sources.add(h);
            running.add(s);
            s.start();
        }
        forwarding.start(store);
        watcherThread = Threads.daemon(watcher, "lustre-watcher");
        watcherThread.start();
        scanThread = Threads.daemon(scanLoop, "lustre-scanner");
        scanThread.start();
        LOG.info("watching {} every {} s; trap file: {}; kernel log: {}; keeping {} traps",
                config.lustreRoot(), config.intervalSeconds(), trapFile == null ? "off" : trapFile,
                kmsg == null ? "off" : kmsg, config.maxTraps());
    }

    private void scanned(LustreSnapshot s, long took) {
        snapshot = s;
        if (took < 0) {
            return; // a read of named targets between scans: the scan's figures stand
        }
        lastScanDuration = took;
        if (s.readErrors() > 0) {
            // Stable wording (the first error of the latest new kind), so the health logs once.
            treeHealth.error("files that cannot be read (counted, previous values kept): " + scanner.lastReadError());
        } else if (!"ok".equals(treeHealth.state()) || treeHealth.message().isEmpty()) {
            treeHealth.ok("every file found could be read");
        }
        if (!ready) {
            ready = true;
            LOG.info("first scan: {} file systems, {} targets, in {} ms", s.fileSystems().size(), s.nodes().size(),
                    took);
        }
    }

    /**
     * Stops the threads. The scanner gets one second: a thread blocked in a wedged Lustre read
     * cannot be woken, and it is a daemon, so it does not hold the JVM.
     */
    @Override
    public synchronized void close() {
        scanLoop.stop();
        watcher.stop();
        refresher.shutdownNow();
        Threads.stop(scanThread, 1_000);
        Threads.stop(watcherThread, 5_000);
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing a source: {}", e.getMessage());
            }
        }
        running.clear();
        forwarding.close();
    }

    public CollectorConfig config() {
        return config;
    }

    public Forwarding forwarding() {
        return forwarding;
    }

    public TrapStore store() {
        return store;
    }

    /** The hand-over queue; tests and the simulator may submit through it like any source. */
    public TrapQueue queue() {
        return queue;
    }

    public LustreSnapshot snapshot() {
        return snapshot;
    }

    /** True once the first scan is published. */
    public boolean ready() {
        return ready;
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** When the last published scan started, epoch milliseconds; 0 before the first. */
    public long lastScanMillis() {
        return snapshot.scanMillis();
    }

    public long lastScanDuration() {
        return lastScanDuration;
    }

    /** Files that did not parse in all scans so far plus lines the sources could not parse. */
    public long parseErrors() {
        long n = scanner.totalParseErrors(); // scans and on-demand refreshes alike
        for (SourceHealth h : sources) {
            n += h.parseErrors();
        }
        return n;
    }

    /** Traps lost at intake ({@link TrapQueue#dropped()}): 0 while the collector runs. */
    public long trapsDropped() {
        return queue.dropped();
    }

    /** The trap sources, then the Lustre tree itself ("lustre-tree": read errors of the scans). */
    public List<SourceHealth> sources() {
        List<SourceHealth> all = new ArrayList<>(sources);
        all.add(treeHealth);
        return all;
    }

    /** Files of the Lustre tree that existed but could not be read, since start (scans and refreshes). */
    public long treeReadErrors() {
        return scanner.totalReadErrors();
    }

    /** {@code sys/fs/lustre/version} as the last scan read it ("2.12.9_12.llnl"); "" when absent. */
    public String lustreVersion() {
        return snapshot.lustreVersion();
    }

    /**
     * A node's state; its per-OST figures are read afresh when never read or older than two
     * intervals (the scan spreads those reads, so a caller asking for one node should not wait
     * for the round robin).
     */
    public Optional<NodeState> node(String name) {
        NodeState n = snapshot.nodes().get(name);
        if (n == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        boolean neverRead = n.kind().equals("OST") && n.kbytesTotal() < 0;
        if ((neverRead || now - n.updatedMillis() > 2_000L * config.intervalSeconds()) && !watcher.stalled()) {
            return refreshed(name, now).or(() -> Optional.of(n));
        }
        return Optional.of(n);
    }

    /** The node read afresh on the refresh thread, or empty when that takes too long or the thread is busy. */
    private Optional<NodeState> refreshed(String name, long now) {
        Future<Optional<NodeState>> read;
        try {
            read = refresher.submit(() -> scanner.refresh(name, now));
        } catch (RejectedExecutionException busyOrClosed) {
            return Optional.empty();
        }
        try {
            return read.get(REFRESH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
