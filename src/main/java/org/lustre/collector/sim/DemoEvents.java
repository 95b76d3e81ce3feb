package org.lustre.collector.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.Threads;
import org.lustre.collector.trap.Category;

/**
 * The event generator of {@code --demo}: a daemon thread named {@code demo-events} that every
 * period does one plausible, seeded-random thing to a {@link SimulatedTree} (the list is in
 * docs/simulator.md, "Demo events"). Every change that breaks something is undone later, so the
 * tree stays coherent over hours.
 *
 * <p>Thread safety: {@link #start()} and {@link #close()} may be called from any thread;
 * the events themselves run only on the {@code demo-events} thread (or the caller of
 * {@link #step()}, in tests, which must not have started the thread).
 */
public final class DemoEvents implements AutoCloseable {

    public static final long DEFAULT_PERIOD_MILLIS = 2_000;
    /** A router-failure storm is only raised on a file system at most this big. */
    static final int STORM_MAX_OSTS = 2_000;

    private static final Logger LOG = LogManager.getLogger(DemoEvents.class);

    private final SimulatedTree tree;
    private final long periodMillis;
    private final Random random;
    private final AtomicLong events = new AtomicLong();
    /** Undo actions, due at a given step; touched only by the event thread. */
    private final List<Pending> pending = new ArrayList<>();
    private long step;
    private boolean stormPending;
    private boolean healthPending;
    private Thread thread;

    private interface Undo {
        String run() throws IOException;
    }

    private record Pending(long due, Undo undo) {
    }

    /** Events every {@link #DEFAULT_PERIOD_MILLIS} with a fixed seed. */
    public DemoEvents(SimulatedTree tree) {
        this(tree, DEFAULT_PERIOD_MILLIS, 42);
    }

    /**
     * @param periodMillis time between two events, at least 1 ms
     * @param seed seed of the random choices: the same seed gives the same sequence of events
     */
    public DemoEvents(SimulatedTree tree, long periodMillis, long seed) {
        if (periodMillis < 1) {
            throw new IllegalArgumentException("period must be at least 1 ms, not " + periodMillis);
        }
        this.tree = tree;
        this.periodMillis = periodMillis;
        this.random = new Random(seed);
    }

    /** Starts the {@code demo-events} thread; a second call does nothing. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        // The first event comes at once: a newcomer starting the demo should see traps right away.
        thread = Threads.daemon(() -> {
            try {
                while (true) {
                    tick();
                    Thread.sleep(periodMillis);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }, "demo-events");
        thread.start();
        LOG.info("demo events every {} ms on {}", periodMillis, tree.root());
    }

    /** Stops the thread and waits (up to 10 s) for a running event to finish, so that "closed" means "gone". */
    @Override
    public synchronized void close() {
        if (!Threads.stop(thread, 10_000)) {
            LOG.warn("demo-events thread did not stop within 10 s");
        }
    }

    public long events() {
        return events.get();
    }

    private void tick() {
        // One bad event must not cancel the schedule (a thrown exception would).
        try {
            LOG.debug("demo event: {}", step());
        } catch (IOException | RuntimeException e) {
            LOG.warn("demo event failed: {}", e.toString());
        }
    }

    /** Does one event now and returns what it did; for tests, on the caller's thread. */
    String step() throws IOException {
        step++;
        tree.touchUptime();
        String done = runDueUndo();
        if (done == null) {
            done = randomEvent();
        }
        events.incrementAndGet();
        return done;
    }

    /** Undoes every pending change now (tests; the thread must not be running). */
    void undoAll() throws IOException {
        while (!pending.isEmpty()) {
            pending.remove(0).undo().run();
        }
    }

    private String runDueUndo() throws IOException {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (p.due() <= step) {
                it.remove();
                return p.undo().run();
            }
        }
        return null;
    }

    private void later(int minSteps, int maxSteps, Undo undo) {
        pending.add(new Pending(step + minSteps + random.nextInt(maxSteps - minSteps + 1), undo));
    }

    private String randomEvent() throws IOException {
        int r = random.nextInt(100);
        if (r < 25) {
            return down();
        } else if (r < 43) {
            return fill();
        } else if (r < 68) {
            return trap();
        } else if (r < 83) {
            return kmsgError();
        } else if (r < 91) {
            return deactivate();
        } else if (r < 95 && !healthPending) {
            healthPending = true;
            tree.health("NOT HEALTHY");
            later(1, 1, () -> {
                healthPending = false;
                tree.health("healthy");
                return "health_check healthy";
            });
            return "health_check NOT HEALTHY";
        } else if (r >= 97 && !stormPending) {
            String storm = storm();
            if (storm != null) {
                return storm;
            }
        }
        return trap();
    }

    private String randomFs() {
        List<String> fs = tree.fileSystems();
        return fs.get(random.nextInt(fs.size()));
    }

    private String down() throws IOException {
        for (int tries = 0; tries < 5; tries++) {
            String fs = randomFs();
            int i = random.nextInt(tree.ostCount(fs));
            if (tree.ostDown(fs, i)) {
                if (random.nextInt(3) == 0) {
                    tree.appendKmsg(ConsoleText.ERR, ConsoleText.operationFailed(tree.layoutKind(),
                            Topology.ospName(fs, i), "ost_connect", tree.nid(fs, i), -19));
                }
                later(2, 6, () -> {
                    tree.ostUp(fs, i);
                    return SimulatedTree.targetName(fs, i) + " FULL";
                });
                return SimulatedTree.targetName(fs, i) + " DISCONN";
            }
        }
        return trap();
    }

    private String fill() throws IOException {
        String fs = randomFs();
        int i = random.nextInt(tree.ostCount(fs));
        if (random.nextBoolean()) {
            int pct = 96 + random.nextInt(4);
            tree.fill(fs, i, pct);
            later(3, 8, () -> {
                int back = 40 + random.nextInt(30);
                tree.fill(fs, i, back);
                return SimulatedTree.targetName(fs, i) + " emptied to " + back + "%";
            });
            return SimulatedTree.targetName(fs, i) + " filled to " + pct + "%";
        }
        int pct = 20 + random.nextInt(70);
        tree.fill(fs, i, pct);
        return SimulatedTree.targetName(fs, i) + " at " + pct + "%";
    }

    private String trap() throws IOException {
        String fs = randomFs();
        int i = random.nextInt(tree.ostCount(fs));
        String target = SimulatedTree.targetName(fs, i);
        String client = String.format("%08x-%04x-%04x-%04x-%012x", random.nextInt(), random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
        String msg;
        Category cat;
        switch (random.nextInt(3)) {
            case 0 -> {
                cat = Category.INFO;
                int clients = 2 + random.nextInt(60);
                msg = target + ": Recovery over after 0:" + (10 + random.nextInt(50)) + ", of " + clients
                        + " clients " + clients + " recovered and 0 were evicted.";
            }
            case 1 -> {
                cat = Category.INFO;
                long from = 20_000 + random.nextInt(10_000);
                msg = target + ": deleting orphan objects from 0x0:" + from + " to 0x0:" + (from + 60);
            }
            default -> {
                cat = Category.WARNING;
                msg = target + ": Client " + client + " (at " + clientNid(fs) + ") reconnecting";
            }
        }
        tree.appendTrap(cat, fs, target, msg);
        return "trap " + cat.label() + " " + target;
    }

    private String clientNid(String fs) {
        int f = tree.fileSystems().indexOf(fs);
        List<String> nets = tree.networks(fs);
        return "10." + f + ".240." + (1 + random.nextInt(250)) + "@" + nets.get(random.nextInt(nets.size()));
    }

    private String kmsgError() throws IOException {
        String fs = randomFs();
        if (random.nextBoolean()) {
            String client = String.format("%08x-%04x-%04x-%04x-%012x", random.nextInt(), random.nextInt(0x10000),
                    random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
            tree.appendKmsg(ConsoleText.WARN, ConsoleText.clientEvicted(tree.layoutKind(), fs + "-MDT0000", client,
                    clientNid(fs), tree.nowMillis() / 1000));
            return "eviction on " + fs;
        }
        int i = random.nextInt(tree.ostCount(fs));
        tree.appendKmsg(ConsoleText.ERR, ConsoleText.operationFailed(tree.layoutKind(), Topology.ospName(fs, i),
                "ost_statfs", tree.nid(fs, i), -107));
        return "LustreError on " + SimulatedTree.targetName(fs, i);
    }

    private String deactivate() throws IOException {
        String fs = randomFs();
        int i = random.nextInt(tree.ostCount(fs));
        if (!tree.deactivate(fs, i)) {
            return trap();
        }
        later(3, 6, () -> {
            tree.activate(fs, i);
            return SimulatedTree.targetName(fs, i) + " activated";
        });
        return SimulatedTree.targetName(fs, i) + " deactivated";
    }

    private String storm() throws IOException {
        String fs = tree.fileSystems().stream().min(Comparator.comparingInt(tree::ostCount)).orElseThrow();
        if (tree.ostCount(fs) > STORM_MAX_OSTS) {
            return null;
        }
        List<String> nets = tree.networks(fs);
        String net = nets.get(random.nextInt(nets.size()));
        int n = tree.routerFailure(fs, net);
        stormPending = true;
        later(3, 5, () -> {
            stormPending = false;
            int back = tree.routerRestore(fs, net);
            return "router " + fs + " " + net + " restored: " + back + " OSTs";
        });
        return "router failure " + fs + " " + net + ": " + n + " OSTs";
    }
}
