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
 * Reads the Lustre tree of this node (an MDS, an OSS or both) into a {@link LustreSnapshot}; the
 * steps of one scan are in docs/design.md ("The scan"). Between scans, {@link #scanNamed} reads
 * the targets a source just named. A file that vanishes, holds garbage or cannot be read keeps
 * the previous figure and is counted ({@link TreeErrors}): it never drops a known target nor
 * changes its state. An absent tree (no Lustre on this node) gives an empty snapshot and one
 * INFO line.
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
     * A full discovery this often (scan clock); a target_obd that lists other OSTs triggers one at
     * once. At 100,000 OSTs one lists 100,000 OSP devices: ~0.15 s of CPU when it finds what the
     * last one found, ten times that when it must build the targets again.
     */
    static final long DISCOVERY_MILLIS = 300_000;

    private final LustreLayout layout;
    private final Discovery discovery;
    private final TargetReads reads;
    private final ReadSchedule schedule;
    private final int sweepScans;
    private final SnapshotBuilder builder = new SnapshotBuilder();
    private final TreeErrors errors = new TreeErrors();
    private final ConcurrentHashMap<String, Reading> readings = new ConcurrentHashMap<>();
    /** Targets refresh() read since the last scan. */
    private final Set<Target> refreshed = ConcurrentHashMap.newKeySet();
    private volatile LustreSnapshot last = LustreSnapshot.EMPTY;
    private volatile Inventory inventory = Inventory.EMPTY;
    private volatile Map<String, Target> byName = Map.of();
    /** Scan thread only: the targets served by this node (see {@link #localsThisScan}). */
    private List<Target> locals = List.of();
    /** Scan thread only: per file system with a LOD, its {kbytestotal, kbytesfree} (-1 unknown). */
    private Map<String, long[]> lodSpace = Map.of();
    /** Scan thread only: where the spread reads of LOD space and of local targets stand. */
    private final ReadSchedule.Cursor lodCursor = new ReadSchedule.Cursor();
    private final ReadSchedule.Cursor localCursor = new ReadSchedule.Cursor();
    /** Scan thread only. */
    private long discoveredMillis = Long.MIN_VALUE / 2;
    private boolean absentLogged;
    private String version = "";

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
        this.sweepScans = sweepScans;
    }

    /** Scans per sweep for a {@code sweep} option and scan interval, both in seconds: floor, at least 1. */
    public static int sweepScans(long sweepSeconds, long intervalSeconds) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, sweepSeconds / Math.max(1, intervalSeconds)));
    }

    /** {@link LustreSnapshot#EMPTY} before the first scan. Any thread. */
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

    /** When the node entered its current import state (state_history), epoch seconds; -1 unknown. Any thread. */
    public long stateSince(String nodeName) {
        Reading r = readings.get(nodeName);
        return r == null ? -1 : r.sinceSeconds();
    }

    /**
     * Asks for this target to be read before the round robin, at the next scan or at the next
     * {@link #scanNamed}, so that a target the kernel log reports as disconnected shows at once.
     * True when it is a target that {@link #scanNamed} would read; other names (NIDs, "MGS") are
     * ignored. Any thread.
     */
    public boolean prioritize(String nodeName) {
        return schedule.prioritize(nodeName);
    }

    /**
     * Reads the targets sources named since the last scan (at most one budget) and publishes a
     * snapshot with them, so that a kernel-log disconnect shows in notResponding within a second
     * instead of at the next scan. Nothing else is read. Null when no target was named. Scan
     * thread only.
     */
    public synchronized LustreSnapshot scanNamed(long nowMillis) {
        List<Target> named = schedule.named();
        if (named.isEmpty()) {
            return null;
        }
        TreeErrors.Tally errs = errors.tally(nowMillis);
        Map<String, List<Target>> touched = new HashMap<>();
        for (Target t : named) {
            if (store(t, reads.full(t, reading(t), nowMillis, errs), false)) {
                touch(touched, t);
            }
        }
        LustreSnapshot prev = last;
        // The last scan's error counts stay: these few reads say nothing of the other files.
        last = builder.build(inventory, readings::get, touched, lodSpace, prev.health(), version, nowMillis,
                prev.parseErrors() + errs.parse, prev.readErrors() + errs.read);
        return last;
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
            adopt(inventory);
            last = new LustreSnapshot(Map.of(), Map.of(), "", "", nowMillis, 0, 0);
            return last;
        }
        if (absentLogged) {
            LOG.info("Lustre tree found under lustre-root");
            absentLogged = false;
        }
        String health = readHealth(errs);

        Inventory before = inventory;
        Inventory inv;
        if (before.byFs().isEmpty() || nowMillis - discoveredMillis >= DISCOVERY_MILLIS || nowMillis < discoveredMillis) {
            inv = discovery.discover(before, errs);
            discoveredMillis = nowMillis;
            version = readVersion(errs);
        } else {
            inv = discovery.refresh(before, errs);
        }
        Map<String, List<Target>> touched = new HashMap<>();
        for (var it = refreshed.iterator(); it.hasNext(); ) {
            touch(touched, it.next());
            it.remove();
        }
        if (inv != before && !inv.byFs().equals(before.byFs())) {
            readChangedInThisScan(before, inv);
            adopt(inv);
        }
        inventory = inv;

        ReadSchedule.Plan plan = schedule.next();
        Set<String> readFully = new HashSet<>();
        for (Target t : localsThisScan()) {
            // A new read time alone does not rebuild the file system's node map.
            readFully.add(t.name());
            if (store(t, reads.full(t, reading(t), nowMillis, errs), true)) {
                touch(touched, t);
            }
        }
        for (Target t : plan.full()) {
            if (readFully.add(t.name()) && store(t, reads.full(t, reading(t), nowMillis, errs), false)) {
                touch(touched, t);
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
                touch(touched, t);
            }
        }
        readLodSpace(inv, errs);
        LustreSnapshot snap = builder.build(inv, readings::get, touched, lodSpace, health, version, nowMillis,
                errs.parse, errs.read);
        last = snap;
        return snap;
    }

    /**
     * The targets served here that this scan reads in full: few on a real node (an MDS's MDTs, an
     * OSS's OSTs), all of them every scan when they are no more than the scans of a sweep; more
     * are spread over the sweep, except one in recovery, read every scan until it is over.
     */
    private List<Target> localsThisScan() {
        int n = locals.size();
        if (sweepScans == 0 || n <= sweepScans) {
            return locals;
        }
        Set<Target> out = new java.util.LinkedHashSet<>(localCursor.next(locals, (n + sweepScans - 1) / sweepScans));
        for (Target t : locals) {
            Reading r = readings.get(t.name());
            if (r == null || inRecovery(r.recovery())) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    private static boolean inRecovery(RecoveryStatus r) {
        return !(r.status().equals("COMPLETE") || r.status().equals("INACTIVE") || r.status().isEmpty());
    }

    /**
     * Each LOD's {@code kbytestotal}/{@code kbytesfree}: a new LOD at once, the others spread
     * over the sweep (space moves slowly; at 100 file systems, reading them all every scan costs
     * a sixth of an idle scan's reads).
     */
    private void readLodSpace(Inventory inv, TreeErrors.Tally errs) {
        List<String> names = new ArrayList<>(inv.lods().keySet());
        Map<String, long[]> next = new HashMap<>();
        int n = names.size();
        Set<String> due = new HashSet<>(lodCursor.next(names, sweepScans == 0 ? n : (n + sweepScans - 1) / sweepScans));
        for (String fs : names) {
            long[] known = lodSpace.get(fs);
            next.put(fs, known == null || due.contains(fs) ? lodSpace(inv.lods().get(fs), errs) : known);
        }
        lodSpace = next;
    }

    /**
     * Reads one node now (getNodeInfo), keeping the figures for the following scans. Empty when
     * the last scan did not know the node. Any thread; never throws for bad input.
     */
    public Optional<NodeState> refresh(String nodeName, long nowMillis) {
        Target t = byName.get(nodeName);
        if (t == null) {
            return Optional.empty();
        }
        TreeErrors.Tally errs = errors.tally(nowMillis);
        Reading r = reads.full(t, reading(t), nowMillis, errs);
        store(t, r, false);
        refreshed.add(t); // the next scan publishes this node
        String health = t.local() ? readHealth(errs) : "";
        return Optional.of(SnapshotBuilder.node(t, r, health.isEmpty() || health.equals("healthy")));
    }

    /**
     * Targets whose ACTIVE/INACTIVE in target_obd changed are read in full in this scan: an
     * administrator's deactivation shows in target_obd and the OSP's files at once, and judged
     * by target_obd alone it would look like a lost connection until the sweep came by.
     */
    private void readChangedInThisScan(Inventory before, Inventory now) {
        now.byFs().forEach((fs, targets) -> {
            if (targets == before.byFs().get(fs)) {
                return;
            }
            for (Target t : targets) {
                Target o = byName.get(t.name()); // still the targets of before
                if (o != null && !java.util.Objects.equals(o.lodActive(), t.lodActive())) {
                    schedule.prioritize(t.name());
                }
            }
        });
    }

    /** A new inventory: the schedule's list and the readings of targets that are gone. */
    private void adopt(Inventory inv) {
        Map<String, Target> names = inv.byName();
        List<Target> all = inv.all();
        schedule.targets(all, names);
        readings.keySet().retainAll(names.keySet());
        byName = names;
        locals = all.stream().filter(Target::local).toList();
    }

    private static void touch(Map<String, List<Target>> touched, Target t) {
        touched.computeIfAbsent(t.fs(), fs -> new ArrayList<>()).add(t);
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
        return layout.parse(LustreLayout.Item.LOD_ATTR, "lod/" + lod + "/" + file, NumberParser::parse, -1L, -1L, errs);
    }

    /**
     * {@code health_check}, followed by {@code " (unhealthy devices: a, b)"} when it is not healthy
     * and its 2.13-2.16 debugfs twin names some; "" when absent or garbage; the last snapshot's
     * when it cannot be read.
     */
    private String readHealth(TreeErrors.Tally errs) {
        String text;
        try {
            text = layout.read(LustreLayout.Item.HEALTH_CHECK, "health_check");
        } catch (IOException e) {
            errs.read(LustreLayout.Item.HEALTH_CHECK, layout.pathOf(LustreLayout.Item.HEALTH_CHECK, "health_check"), e);
            return last.health();
        }
        if (text == null) {
            return "";
        }
        HealthCheckParser.HealthCheck hc;
        try {
            hc = HealthCheckParser.parse(layout.pathOf(LustreLayout.Item.HEALTH_CHECK, "health_check"), text);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
            return "";
        }
        List<String> devices = new ArrayList<>(hc.unhealthyDevices());
        if (!hc.healthy()) {
            for (String dev : layout.<List<String>>parse(LustreLayout.Item.HEALTH_DEVICES, "health_check",
                    HealthCheckParser::parseUnhealthyDevices, List.of(), List.of(), errs)) {
                if (!devices.contains(dev)) {
                    devices.add(dev);
                }
            }
        }
        if (hc.healthy() || devices.isEmpty()) {
            return hc.status();
        }
        return hc.status() + " (unhealthy devices: " + String.join(", ", devices) + ")";
    }

    private String readVersion(TreeErrors.Tally errs) {
        return layout.parse(LustreLayout.Item.VERSION, "version", LustreVersionParser::parse, "", version, errs);
    }
}
