package org.lustre.collector.lustre;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the Lustre tree of this node (an MDS, an OSS or both) into a {@link LustreSnapshot}.
 * One scan:
 * <ol>
 *   <li>{@code health_check} and {@code version};</li>
 *   <li>the targets ({@link Discovery}): a full discovery from the device directories every
 *       {@link #DISCOVERY_MILLIS} (scan clock) or when a LOD's target_obd changed; between, only
 *       each target_obd, compared with its last bytes;</li>
 *   <li>the targets this node serves (its MDTs; an OSS's OSTs: few), in full;</li>
 *   <li>the reads that {@link ReadSchedule} plans: priority and round-robin targets in full, the
 *       sweep's targets' connection state alone ({@link TargetReads});</li>
 *   <li>each LOD's {@code kbytestotal}/{@code kbytesfree};</li>
 *   <li>the snapshot ({@link SnapshotBuilder}), rebuilding only the file systems a read changed.</li>
 * </ol>
 * Where each file lives (proc, sysfs or debugfs) is found by {@link LustreLayout}, not by version.
 *
 * <h2>Bad input</h2>
 * A file that vanishes or holds garbage keeps the previous figure, counted in
 * {@link LustreSnapshot#parseErrors()}; one that exists but cannot be read (EIO, ENOTCONN,
 * EACCES) keeps it too, counted in {@link LustreSnapshot#readErrors()} and logged once per kind
 * ({@link TreeErrors}). Neither drops a known target nor changes its state. An absent tree (no
 * Lustre on this node) gives an empty snapshot and one INFO line.
 *
 * <h2>Threads</h2>
 * {@link #scan} is for one thread, the watcher (synchronized, so a second caller waits rather
 * than corrupts the cursors). {@link #refresh}, {@link #prioritize}, {@link #stateSince} and the
 * counters may be called by any thread: shared state is the last snapshot and inventory
 * (volatile, immutable) and the readings (a concurrent map of immutable values, newest wins).
 */
public final class LustreScanner {
    private static final Logger LOG = LogManager.getLogger(LustreScanner.class);
    /**
     * A full discovery this often (scan clock); a target_obd change triggers one at once. At
     * 100,000 OSTs one costs a listing of 100,000 OSP devices: ~0.15 s of CPU when it finds
     * what the last one found (measured with the packaged flags), ten times that when it must
     * build the targets again.
     */
    static final long DISCOVERY_MILLIS = 300_000;

    private final LustreLayout layout;
    private final Discovery discovery;
    private final TargetReads reads;
    private final ReadSchedule schedule;
    private final SnapshotBuilder builder = new SnapshotBuilder();
    private final TreeErrors errors = new TreeErrors();
    private final ConcurrentHashMap<String, Reading> readings = new ConcurrentHashMap<>();
    /** File systems whose targets refresh() read since the last scan. */
    private final Set<String> refreshedFs = ConcurrentHashMap.newKeySet();
    private volatile LustreSnapshot last = LustreSnapshot.EMPTY;
    private volatile Inventory inventory = Inventory.EMPTY;
    private volatile Map<String, Target> byName = Map.of();
    /** Scan thread only: the targets served by this node, read in full every scan. */
    private List<Target> locals = List.of();
    /** Scan thread only. */
    private long discoveredMillis = Long.MIN_VALUE / 2;
    private boolean absentLogged;
    private String version = "";

    /** A scanner without the sweep (round robin and priority reads only): tests of those. */
    public LustreScanner(LustreTree tree, int budget) {
        this(tree, budget, 0);
    }

    /**
     * @param tree       the Lustre tree (rooted at lustre-root)
     * @param budget     targets read in full per scan by the round robin (at least 1)
     * @param sweepScans scans within which every target's connection is re-read: the {@code sweep}
     *                   option divided by the interval, rounded down, at least 1; 0 = no sweep
     */
    public LustreScanner(LustreTree tree, int budget, int sweepScans) {
        this.layout = new LustreLayout(tree);
        this.discovery = new Discovery(layout);
        this.reads = new TargetReads(layout);
        this.schedule = new ReadSchedule(budget, sweepScans);
    }

    /** Scans per sweep for a {@code sweep} option and scan interval, both in seconds: floor, at least 1. */
    public static int sweepScans(long sweepSeconds, long intervalSeconds) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sweepSeconds / Math.max(1, intervalSeconds)));
    }

    /** The last snapshot {@link #scan} produced ({@link LustreSnapshot#EMPTY} before the first). Any thread. */
    public LustreSnapshot last() {
        return last;
    }

    /** Files skipped since start because they held garbage or vanished. Any thread. */
    public long totalParseErrors() {
        return errors.parseErrors();
    }

    /** Files that existed but could not be read, since start. Any thread. */
    public long totalReadErrors() {
        return errors.readErrors();
    }

    /** The most recent new kind of read error, path and reason; "" when none. Any thread. */
    public String lastReadError() {
        return errors.lastReadErrorKind();
    }

    /**
     * When the node entered its current import state, epoch seconds, from the {@code state_history}
     * read last; -1 when unknown. For {@link StateChanges#diff(LustreSnapshot, LustreSnapshot,
     * java.util.function.ToLongFunction)}. Any thread.
     */
    public long stateSince(String nodeName) {
        Reading r = readings.get(nodeName);
        return r == null ? -1 : r.sinceSeconds();
    }

    /**
     * Asks the next scan to read this target before the round robin, so that a target the kernel
     * log reports as disconnected shows at the next scan. Names that are not targets are ignored.
     * Any thread.
     */
    public void prioritize(String nodeName) {
        schedule.prioritize(nodeName);
    }

    /** Scans the tree once. Never throws for bad input. Watcher thread only. */
    public synchronized LustreSnapshot scan(long nowMillis) {
        TreeErrors.Tally errs = errors.tally(nowMillis);
        if (!layout.present()) {
            if (!absentLogged) {
                LOG.info("no Lustre tree under lustre-root ({}, {}, {} absent): no file systems to report",
                        LustreLayout.PROC, LustreLayout.SYSFS, LustreLayout.DEBUGFS);
                absentLogged = true;
            }
            inventory = Inventory.EMPTY;
            byName = Map.of();
            last = new LustreSnapshot(Map.of(), Map.of(), "", "", nowMillis, 0, 0);
            return last;
        }
        if (absentLogged) {
            LOG.info("Lustre tree found under lustre-root");
            absentLogged = false;
        }
        String health = Health.read(layout, errs);
        if (health == null) {
            health = last.health();
        }

        Inventory before = inventory;
        Inventory inv;
        if (before.byFs().isEmpty() || nowMillis - discoveredMillis >= DISCOVERY_MILLIS || nowMillis < discoveredMillis) {
            inv = discovery.discover(before, errs);
            discoveredMillis = nowMillis;
            version = readVersion(errs);
        } else {
            inv = discovery.refresh(before, errs);
        }
        Set<String> touched = new HashSet<>();
        for (var it = refreshedFs.iterator(); it.hasNext(); ) {
            touched.add(it.next());
            it.remove();
        }
        if (inv != before) {
            inv = reuseLists(before, inv);
            if (!inv.byFs().equals(before.byFs())) {
                readChangedInThisScan(before, inv);
                adopt(inv);
            }
        }
        inventory = inv;

        ReadSchedule.Plan plan = schedule.next();
        Set<String> readFully = new HashSet<>();
        for (Target t : locals) {
            // Served here: few (an MDS's MDTs, an OSS's OSTs), read in full every scan; a new read
            // time alone does not rebuild the file system's node map.
            readFully.add(t.name());
            if (store(t, reads.full(t, reading(t), nowMillis, errs), true)) {
                touched.add(t.fs());
            }
        }
        for (Target t : plan.full()) {
            if (readFully.add(t.name()) && store(t, reads.full(t, reading(t), nowMillis, errs), false)) {
                touched.add(t.fs());
            }
        }
        for (Target t : plan.sweep()) {
            if (readFully.contains(t.name())) {
                continue;
            }
            Reading was = reading(t);
            Reading now = reads.connection(t, was, errs);
            if (now != was && was.updatedMillis() > 0) {
                // A connection that changed (a failover, a reconnect) may come with a new NID
                // and space: the whole target at the next scan.
                schedule.prioritize(t.name());
            }
            if (store(t, now, false)) {
                touched.add(t.fs());
            }
        }
        Map<String, long[]> lodSpace = new HashMap<>();
        inv.lods().forEach((fs, lod) -> lodSpace.put(fs, lodSpace(lod, errs)));
        LustreSnapshot snap = builder.build(inv, readings::get, touched, lodSpace, health, version, nowMillis, errs);
        last = snap;
        return snap;
    }

    /**
     * Reads one node now (getNodeInfo on demand), without waiting for the round robin; the
     * figures are kept for the following scans. Empty when the last scan did not know the node.
     * Any thread; never throws for bad input.
     */
    public Optional<NodeState> refresh(String nodeName, long nowMillis) {
        Target t = byName.get(nodeName);
        if (t == null) {
            return Optional.empty();
        }
        TreeErrors.Tally errs = errors.tally(nowMillis);
        Reading r = reads.full(t, reading(t), nowMillis, errs);
        store(t, r, false);
        refreshedFs.add(t.fs()); // the next scan rebuilds this file system's nodes
        String health = t.local() ? Health.read(layout, errs) : "";
        if (health == null) {
            health = last.health();
        }
        return Optional.of(SnapshotBuilder.node(t, r, health.isEmpty() || health.equals("healthy")));
    }

    /**
     * Targets whose ACTIVE/INACTIVE in target_obd changed are read in full in this scan: an
     * administrator's deactivation shows in target_obd and in the OSP's own files at once, and
     * judged by target_obd alone until the sweep came by it would look like a lost connection.
     */
    private void readChangedInThisScan(Inventory before, Inventory now) {
        now.byFs().forEach((fs, targets) -> {
            List<Target> old = before.byFs().get(fs);
            if (old == null || old == targets) {
                return;
            }
            Map<String, Target> was = new HashMap<>();
            for (Target t : old) {
                was.put(t.name(), t);
            }
            for (Target t : targets) {
                Target o = was.get(t.name());
                if (o != null && !java.util.Objects.equals(o.lodActive(), t.lodActive())) {
                    schedule.prioritize(t.name());
                }
            }
        });
    }

    /** A new inventory: the schedule's list and the readings of targets that are gone. */
    private void adopt(Inventory inv) {
        Map<String, Target> names = inv.byName();
        List<Target> scheduled = new ArrayList<>();
        for (Target t : inv.all()) {
            scheduled.add(t);
        }
        schedule.targets(scheduled);
        readings.keySet().retainAll(names.keySet());
        byName = names;
        locals = inv.all().stream().filter(Target::local).toList();
    }

    /**
     * {@code now} with the target list of each file system whose targets did not change taken
     * from {@code before} (the same object), so that its published node map can be handed on.
     */
    private static Inventory reuseLists(Inventory before, Inventory now) {
        Map<String, List<Target>> byFs = new HashMap<>();
        now.byFs().forEach((fs, list) -> {
            List<Target> old = before.byFs().get(fs);
            byFs.put(fs, list.equals(old) ? old : list);
        });
        return new Inventory(byFs, now.lods(), now.obdBytes());
    }

    private Reading reading(Target t) {
        Reading r = readings.get(t.name());
        return r == null ? Reading.none(t) : r;
    }

    /**
     * Keeps a reading (the newest wins); true when it changes what the node shows (with
     * {@code ignoreTime}, a change of the read time alone does not count).
     */
    private boolean store(Target t, Reading r, boolean ignoreTime) {
        Reading old = readings.get(t.name());
        if (old == r) {
            return false; // the sweep found nothing new
        }
        readings.merge(t.name(), r, (o, n) -> n.updatedMillis() >= o.updatedMillis() ? n : o);
        if (old == null) {
            return true;
        }
        return !(old.state().equals(r.state()) && old.deactivated() == r.deactivated() && old.nid().equals(r.nid())
                && java.util.Arrays.equals(old.space(), r.space()) && old.exports() == r.exports()
                && old.recovery().equals(r.recovery()) && (ignoreTime || old.updatedMillis() == r.updatedMillis()));
    }

    private long[] lodSpace(String lod, TreeErrors.Tally errs) {
        return new long[] {lodNumber(lod, "kbytestotal", errs), lodNumber(lod, "kbytesfree", errs)};
    }

    private long lodNumber(String lod, String file, TreeErrors.Tally errs) {
        String rel = "lod/" + lod + "/" + file;
        try {
            String text = layout.read(LustreLayout.Item.LOD_ATTR, rel);
            return text == null ? -1 : NumberParser.parse(layout.pathOf(LustreLayout.Item.LOD_ATTR, rel), text);
        } catch (IOException e) {
            errs.read(LustreLayout.Item.LOD_ATTR, layout.pathOf(LustreLayout.Item.LOD_ATTR, rel), e);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
        }
        return -1;
    }

    private String readVersion(TreeErrors.Tally errs) {
        try {
            String text = layout.read(LustreLayout.Item.VERSION, "version");
            return text == null ? "" : LustreVersionParser.parse(layout.pathOf(LustreLayout.Item.VERSION, "version"), text);
        } catch (IOException e) {
            errs.read(LustreLayout.Item.VERSION, layout.pathOf(LustreLayout.Item.VERSION, "version"), e);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
        }
        return version;
    }
}
