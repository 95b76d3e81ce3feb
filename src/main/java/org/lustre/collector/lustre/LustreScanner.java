package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the Lustre tree of this MDS into a {@link LustreSnapshot}.
 *
 * <h2>What one scan reads</h2>
 * <ul>
 *   <li>{@code health_check} (sysfs; proc before 2.10) and its 2.13-2.16 debugfs twin that names
 *       the unhealthy devices, into {@link LustreSnapshot#health()}: the status, followed by
 *       {@code " (unhealthy devices: a, b)"} when the twin names some.</li>
 *   <li>The file systems: the names of {@code lod/<fs>-MDTxxxx-mdtlov} (under proc, sysfs and
 *       debugfs alike), {@code mdt/<fs>-MDTxxxx}, and the lines of {@code mgs/MGS/filesystems}
 *       where this node runs the MGS. A directory listing each, so cheap.</li>
 *   <li>Per file system, exactly one {@code target_obd} (of the first local LOD): the OST list with
 *       index, uuid and ACTIVE/INACTIVE, and the LOD's {@code kbytestotal}/{@code kbytesfree}.
 *       Its bytes are compared with the last scan's before anything is decoded; only a changed
 *       file is parsed.</li>
 *   <li>Per-OST details from {@code osp/<fs>-OSTxxxx-osc-MDTxxxx/}: {@code kbytestotal},
 *       {@code kbytesfree}, {@code kbytesavail}, {@code filestotal}, {@code filesfree},
 *       {@code active}, and the connection: {@code import} (state and current NID), falling back
 *       to {@code ost_server_uuid} + {@code ost_conn_uuid} when import is missing; the
 *       {@code state} file is read only when the state is not FULL or changed, to learn when the
 *       transition happened (its {@code state_history}).</li>
 * </ul>
 * Where each file lives (proc, sysfs or debugfs) is found by {@link LustreLayout}, not by version.
 *
 * <h2>Round-robin policy for per-OST details</h2>
 * target_obd gives every OST's ACTIVE flag at every scan, whatever the number of OSTs. The
 * per-OST files cost about eight opens per OST, so a scan reads them for at most
 * {@code ostDetailBudget} OSTs: the OSTs of all file systems are put in one list (file systems by
 * name, OSTs by index) and a cursor walks it, wrapping around, {@code ostDetailBudget} entries per
 * scan. Every other OST keeps the figures read last time (with their {@code updatedMillis}); one
 * never read yet has state "" and figures -1, and counts as responding while its target_obd says
 * ACTIVE. So with N OSTs each OST is re-read every ceil(N / budget) scans: at 100,000 OSTs, a
 * budget of 250 (the collector's) and a 5 s interval, once every 2,000 s, for about 2,000 small
 * reads per scan. Targets {@link #prioritize}d are read first, outside the round robin.
 * A deactivation shows at the next scan through target_obd; a lost connection on an ACTIVE OST
 * shows when the cursor reaches it, or at once through {@link #refresh} (getNodeInfo) or the
 * kernel log source.
 *
 * <h2>Node state</h2>
 * {@code responding} = active and (state FULL or not read yet). {@code active} is the target_obd
 * flag during a scan; {@link #refresh} also honours a fresh {@code osp active = 0} or
 * {@code DEACTIVATED}. Local MDTs are nodes too: kind MDT, state "", responding when
 * {@code health_check} is healthy or absent.
 *
 * <h2>Bad input</h2>
 * A file that vanishes mid-scan or holds garbage is skipped (the previous figure is kept), counted
 * in {@link LustreSnapshot#parseErrors()} and logged at most once a minute (scan clock). Files
 * that a version simply does not have (debugfs twin, import under a debugfs we may not read) are
 * not errors. An absent tree (no Lustre on this node) gives an empty snapshot and one INFO line.
 *
 * <h2>Threads</h2>
 * {@link #scan} is for one thread, the watcher (it is synchronized, so a second caller waits
 * rather than corrupts the cursor). {@link #refresh} and {@link #stateSince} may be called by any
 * thread at any time: shared state is the last published snapshot (volatile), the OST references
 * of the last scan (volatile immutable map) and the per-OST details (concurrent map whose entries
 * are immutable; the newest read wins).
 */
public final class LustreScanner {
    private static final Logger LOG = LogManager.getLogger(LustreScanner.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    private static final int MAX_URGENT = 200_000;
    private static final Pattern LOD = Pattern.compile("(.+)-(MDT[0-9a-fA-F]{4})-mdtlov");
    private static final Pattern MDT = Pattern.compile("(.+)-(MDT[0-9a-fA-F]{4})");
    private static final Pattern FS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** An OST as target_obd of its file system lists it, and the OSP directory to read. */
    private record OstRef(String fs, String name, int index, String uuid, boolean active, String osp) {
    }

    /**
     * One file system as the last scan left it: the target_obd bytes and their parse, and the
     * node map and state published, reused whole by the next scan when nothing of it changed.
     */
    private record FsEntry(String lod, byte[] obdBytes, List<OstRef> refs, List<String> mdts, long kbTotal,
                           long kbFree, FsEntry prev, Map<String, NodeState> nodes, FileSystemState state,
                           boolean mdtHealthy) {
        FsEntry(String lod, byte[] obdBytes, List<OstRef> refs, List<String> mdts, long kbTotal, long kbFree,
                FsEntry prev) {
            this(lod, obdBytes, refs, mdts, kbTotal, kbFree, prev, null, null, false);
        }

        /** The entry to keep for the next scan (without a link to this scan's predecessor). */
        FsEntry published(Map<String, NodeState> nodes, FileSystemState state, boolean mdtHealthy) {
            return new FsEntry(lod, obdBytes, refs, mdts, kbTotal, kbFree, null, nodes, state, mdtHealthy);
        }
    }

    /** Per-OST figures from the OSP files. Immutable. */
    private record Detail(String state, String nid, Boolean ospActive, long kbytesTotal, long kbytesFree,
                          long kbytesAvail, long filesTotal, long filesFree, long sinceSeconds,
                          long updatedMillis) {
    }

    /** Errors of one scan or refresh. */
    private final class Errors {
        int count;

        void add(String what) {
            count++;
            totalErrors.incrementAndGet();
            long now = errorClock;
            long last = lastErrorLog.get();
            if (now - last >= LOG_EVERY_MILLIS && lastErrorLog.compareAndSet(last, now)) {
                LOG.warn("Lustre tree: skipped {} ({} so far; logged at most once a minute)", what, totalErrors.get());
            }
        }
    }

    private final LustreLayout layout;
    private final int budget;
    private final ConcurrentHashMap<String, Detail> details = new ConcurrentHashMap<>();
    private final AtomicLong totalErrors = new AtomicLong();
    private final AtomicLong lastErrorLog = new AtomicLong(Long.MIN_VALUE / 2);
    private volatile long errorClock;
    private volatile LustreSnapshot last = LustreSnapshot.EMPTY;
    private volatile Map<String, OstRef> refs = Map.of();
    /** Targets a source named (a kernel-log disconnect, a trap): read first at the next scan. */
    private final Set<String> urgent = ConcurrentHashMap.newKeySet();
    /** Scan thread only. */
    private int cursor;
    /** Scan thread only: what the last scan read per file system, to skip what did not change. */
    private Map<String, FsEntry> fsCache = Map.of();
    /** Scan thread only: all OSTs in round-robin order. */
    private List<OstRef> ostOrder = List.of();
    /** File systems whose OST details refresh() read since the last scan. */
    private final Set<String> refreshedFs = ConcurrentHashMap.newKeySet();
    /** Scan thread only: the absent-tree line was logged and the tree is still absent. */
    private boolean absentLogged;

    /**
     * @param tree            the Lustre tree (rooted at lustre-root)
     * @param ostDetailBudget most OSTs whose OSP files one scan reads (at least 1)
     */
    public LustreScanner(LustreTree tree, int ostDetailBudget) {
        if (ostDetailBudget < 1) {
            throw new IllegalArgumentException("ostDetailBudget must be at least 1: " + ostDetailBudget);
        }
        this.layout = new LustreLayout(tree);
        this.budget = ostDetailBudget;
    }

    /** The last snapshot {@link #scan} produced ({@link LustreSnapshot#EMPTY} before the first). Any thread. */
    public LustreSnapshot last() {
        return last;
    }

    /** Files skipped since start (garbage or vanished), scans and refreshes together. Any thread. */
    public long totalParseErrors() {
        return totalErrors.get();
    }

    /**
     * When the node entered its current import state, epoch seconds, from the {@code state_history}
     * read last; -1 when unknown. For {@link StateChanges#diff(LustreSnapshot, LustreSnapshot,
     * java.util.function.ToLongFunction)}. Any thread.
     */
    public long stateSince(String nodeName) {
        Detail d = details.get(nodeName);
        return d == null ? -1 : d.sinceSeconds();
    }

    /**
     * Asks the next scan to read this target's details before the round robin, so that a target
     * the kernel log reports as disconnected shows as not responding at the next scan rather
     * than when the cursor reaches it. At most one budget of such targets is read per scan (a
     * router storm naming 10,000 OSTs is worked off over a few scans), and at most
     * {@value #MAX_URGENT} are remembered. Any thread.
     */
    public void prioritize(String nodeName) {
        if (urgent.size() < MAX_URGENT) {
            urgent.add(nodeName);
        }
    }

    /** Scans the tree once. Never throws for bad input. Watcher thread only. */
    public synchronized LustreSnapshot scan(long nowMillis) {
        errorClock = nowMillis;
        Errors errs = new Errors();
        if (!layout.present()) {
            if (!absentLogged) {
                LOG.info("no Lustre tree under lustre-root ({}, {}, {} absent): no file systems to report",
                        LustreLayout.PROC, LustreLayout.SYSFS, LustreLayout.DEBUGFS);
                absentLogged = true;
            }
            refs = Map.of();
            LustreSnapshot empty = new LustreSnapshot(Map.of(), Map.of(), "", nowMillis, 0);
            last = empty;
            return empty;
        }
        if (absentLogged) {
            LOG.info("Lustre tree found under lustre-root");
            absentLogged = false;
        }
        String health = readHealth(errs);
        boolean mdtHealthy = health.isEmpty() || health.equals("healthy");

        // File systems and their local MDTs; TreeMaps keep names sorted.
        Map<String, TreeSet<String>> lodsByFs = new TreeMap<>();
        Map<String, TreeSet<String>> mdtsByFs = new TreeMap<>();
        for (String name : layout.listAll("lod")) {
            Matcher m = LOD.matcher(name);
            if (m.matches()) {
                lodsByFs.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(name);
                mdtsByFs.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(1) + "-" + m.group(2));
            }
        }
        for (String name : layout.listAll("mdt")) {
            Matcher m = MDT.matcher(name);
            if (m.matches()) {
                mdtsByFs.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(name);
            }
        }
        for (String fs : mgsFileSystems(errs)) {
            mdtsByFs.computeIfAbsent(fs, k -> new TreeSet<>());
        }

        // Each file system's OST list: target_obd is read every scan but decoded and parsed only
        // when its bytes changed. The tree compares them with the last scan's in its read buffer
        // and hands back that same array when equal (at 100,000 OSTs, decoding and comparing 100
        // texts of 30 KB each was a third of an idle scan; parsing them all, before, most of it).
        Map<String, FsEntry> entries = new TreeMap<>();
        boolean refsChanged = !fsCache.keySet().equals(mdtsByFs.keySet());
        for (Map.Entry<String, TreeSet<String>> e : mdtsByFs.entrySet()) {
            String fs = e.getKey();
            FsEntry prev = fsCache.get(fs);
            TreeSet<String> lods = lodsByFs.get(fs);
            String lod = lods == null ? null : lods.first();
            boolean sameLod = prev != null && Objects.equals(prev.lod(), lod);
            byte[] obdBytes = lod == null ? null : targetObdBytes(lod, sameLod ? prev.obdBytes() : null, errs);
            List<OstRef> refList;
            if (sameLod && prev.obdBytes() == obdBytes) { // both null, or the very array: unchanged
                refList = prev.refs();
            } else {
                refList = lod == null ? List.of() : ostRefs(fs, lod, obdBytes, errs);
                refsChanged = true;
            }
            long kbTotal = lod == null ? -1 : lodNumber(lod, "kbytestotal", errs);
            long kbFree = lod == null ? -1 : lodNumber(lod, "kbytesfree", errs);
            List<String> mdts = List.copyOf(e.getValue());
            entries.put(fs, new FsEntry(lod, obdBytes, refList, mdts, kbTotal, kbFree, prev));
        }
        if (refsChanged) {
            Map<String, OstRef> newRefs = new HashMap<>();
            List<OstRef> order = new ArrayList<>();
            for (FsEntry fe : entries.values()) {
                for (OstRef ref : fe.refs()) {
                    if (newRefs.putIfAbsent(ref.name(), ref) == null) {
                        order.add(ref);
                    }
                }
            }
            refs = java.util.Collections.unmodifiableMap(newRefs); // fresh map, never changed again
            ostOrder = order;
            // Figures of OSTs that left every target_obd are dropped.
            details.keySet().retainAll(newRefs.keySet());
        }

        // Targets a source named first, then the round robin over all OSTs (see the class comment).
        // A file system none of whose OSTs was read keeps its node map from the last scan.
        Set<String> touched = new java.util.HashSet<>();
        for (java.util.Iterator<String> it = refreshedFs.iterator(); it.hasNext(); ) {
            touched.add(it.next());
            it.remove();
        }
        int urgentRead = 0;
        for (java.util.Iterator<String> it = urgent.iterator(); it.hasNext() && urgentRead < budget; ) {
            OstRef ref = refs.get(it.next());
            it.remove();
            if (ref != null) {
                store(ref.name(), readDetail(ref, details.get(ref.name()), nowMillis, errs));
                touched.add(ref.fs());
                urgentRead++;
            }
        }
        int n = ostOrder.size();
        int k = Math.min(budget, n);
        if (n > 0) {
            cursor %= n;
            for (int i = 0; i < k; i++) {
                OstRef ref = ostOrder.get((cursor + i) % n);
                store(ref.name(), readDetail(ref, details.get(ref.name()), nowMillis, errs));
                touched.add(ref.fs());
            }
            cursor = (cursor + k) % n;
        }

        Map<String, FileSystemState> fileSystems = new TreeMap<>();
        Map<String, Map<String, NodeState>> nodesByFs = new TreeMap<>();
        Map<String, FsEntry> newCache = new HashMap<>();
        for (Map.Entry<String, FsEntry> e : entries.entrySet()) {
            String fs = e.getKey();
            FsEntry fe = e.getValue();
            FsEntry prev = fe.prev();
            boolean sameTargets = prev != null && prev.refs() == fe.refs() && prev.mdts().equals(fe.mdts());
            Map<String, NodeState> fsNodes;
            FileSystemState state;
            if (sameTargets && !touched.contains(fs) && prev.mdtHealthy() == mdtHealthy) {
                fsNodes = prev.nodes();
            } else {
                fsNodes = new HashMap<>();
                for (String mdt : fe.mdts()) {
                    fsNodes.put(mdt, mdtNode(fs, mdt, mdtHealthy, nowMillis));
                }
                for (OstRef ref : fe.refs()) {
                    fsNodes.putIfAbsent(ref.name(), ostNode(ref, details.get(ref.name()), false, nowMillis));
                }
                fsNodes = java.util.Collections.unmodifiableMap(fsNodes);
            }
            if (sameTargets && prev.state().kbytesTotal() == fe.kbTotal() && prev.state().kbytesFree() == fe.kbFree()) {
                state = prev.state();
            } else if (sameTargets) {
                state = new FileSystemState(fs, prev.state().nodes(), fe.kbTotal(), fe.kbFree());
            } else {
                List<String> names = new ArrayList<>(fe.mdts());
                TreeSet<String> osts = new TreeSet<>();
                for (OstRef ref : fe.refs()) {
                    osts.add(ref.name());
                }
                names.addAll(osts);
                state = new FileSystemState(fs, names, fe.kbTotal(), fe.kbFree());
            }
            fileSystems.put(fs, state);
            nodesByFs.put(fs, fsNodes);
            newCache.put(fs, fe.published(fsNodes, state, mdtHealthy));
        }
        fsCache = newCache;
        Map<String, NodeState> nodes = new NodeIndex(nodesByFs);
        LustreSnapshot snap = new LustreSnapshot(fileSystems, nodes, health, nowMillis, errs.count);
        last = snap;
        return snap;
    }

    /**
     * Reads one node's details now (getNodeInfo on demand), without waiting for the round robin;
     * the figures are also kept for the following scans. Empty when the last scan did not know
     * the node. Any thread; never throws for bad input.
     */
    public Optional<NodeState> refresh(String nodeName, long nowMillis) {
        LustreSnapshot snap = last;
        NodeState base = snap.nodes().get(nodeName);
        if (base == null) {
            return Optional.empty();
        }
        Errors errs = new Errors();
        OstRef ref = refs.get(nodeName);
        if (ref == null) {
            // A local MDT: its state is this MDS's health.
            String health = readHealth(errs);
            boolean healthy = health.isEmpty() || health.equals("healthy");
            return Optional.of(mdtNode(base.fs(), base.name(), healthy, nowMillis));
        }
        Detail d = readDetail(ref, details.get(nodeName), nowMillis, errs);
        store(nodeName, d);
        refreshedFs.add(ref.fs()); // the next scan rebuilds this file system's nodes
        return Optional.of(ostNode(ref, d, true, nowMillis));
    }

    private void store(String name, Detail d) {
        if (d != null) {
            details.merge(name, d, (old, neu) -> neu.updatedMillis() >= old.updatedMillis() ? neu : old);
        }
    }

    private static NodeState mdtNode(String fs, String mdt, boolean healthy, long now) {
        int index = Integer.parseInt(mdt.substring(mdt.length() - 4), 16);
        return new NodeState(mdt, fs, "MDT", index, mdt + "_UUID", "", true, "", healthy,
                -1, -1, -1, -1, -1, now);
    }

    private static NodeState ostNode(OstRef ref, Detail d, boolean honourOspActive, long now) {
        if (d == null) {
            return new NodeState(ref.name(), ref.fs(), "OST", ref.index(), ref.uuid(), "", ref.active(), "",
                    ref.active(), -1, -1, -1, -1, -1, now);
        }
        boolean active = ref.active() && !(honourOspActive && Boolean.FALSE.equals(d.ospActive()));
        boolean responding = active && (d.state().isEmpty() || d.state().equals("FULL"));
        return new NodeState(ref.name(), ref.fs(), "OST", ref.index(), ref.uuid(), d.nid(), active, d.state(),
                responding, d.kbytesTotal(), d.kbytesFree(), d.kbytesAvail(), d.filesTotal(), d.filesFree(),
                d.updatedMillis());
    }

    /** Status of health_check plus the devices the debugfs twin names; "" when absent. */
    private String readHealth(Errors errs) {
        String text = layout.read(LustreLayout.Item.HEALTH_CHECK, "health_check");
        if (text == null) {
            return "";
        }
        HealthCheckParser.HealthCheck hc = parsed(LustreLayout.Item.HEALTH_CHECK, "health_check", text,
                HealthCheckParser::parse, errs);
        if (hc == null) {
            return "";
        }
        List<String> devices = new ArrayList<>(hc.unhealthyDevices());
        if (!hc.healthy()) {
            String twin = layout.read(LustreLayout.Item.HEALTH_DEVICES, "health_check");
            if (twin != null) {
                try {
                    for (String dev : HealthCheckParser.parseUnhealthyDevices(
                            LustreLayout.DEBUGFS + "/health_check", twin)) {
                        if (!devices.contains(dev)) {
                            devices.add(dev);
                        }
                    }
                } catch (LustreParseException e) {
                    errs.add(e.getMessage());
                }
            }
        }
        if (hc.healthy() || devices.isEmpty()) {
            return hc.status();
        }
        return hc.status() + " (unhealthy devices: " + String.join(", ", devices) + ")";
    }

    private List<String> mgsFileSystems(Errors errs) {
        String text = layout.read(LustreLayout.Item.MGS_FILESYSTEMS, "mgs/MGS/filesystems");
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (TextLine line : TextLine.nonBlank(text)) {
            String fs = line.text();
            if (FS_NAME.matcher(fs).matches()) {
                out.add(fs);
            } else {
                errs.add(layout.pathOf(LustreLayout.Item.MGS_FILESYSTEMS, "mgs/MGS/filesystems")
                        + ": not a file system name: \"" + fs + "\"");
            }
        }
        return out;
    }

    /**
     * The bytes of a LOD's target_obd, {@code previous} itself when unchanged, null when absent
     * (counted: the LOD exists).
     */
    private byte[] targetObdBytes(String lod, byte[] previous, Errors errs) {
        String rel = "lod/" + lod + "/target_obd";
        byte[] bytes = layout.readIfChanged(LustreLayout.Item.TARGET_OBD, rel, previous);
        if (bytes == null) {
            errs.add(rel + ": absent although the LOD exists");
        }
        return bytes;
    }

    /**
     * The OSTs a target_obd lists; empty when absent or garbage (counted). Decoded as
     * {@link LustreTree#read} decodes (UTF-8, malformed bytes replaced).
     */
    private List<OstRef> ostRefs(String fs, String lod, byte[] bytes, Errors errs) {
        if (bytes == null) {
            return List.of();
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        String rel = "lod/" + lod + "/target_obd";
        List<TargetObdParser.Target> targets = parsed(LustreLayout.Item.TARGET_OBD, rel, text,
                TargetObdParser::parse, errs);
        if (targets == null) {
            return List.of();
        }
        String mdtPart = lod.substring(fs.length() + 1, lod.length() - "-mdtlov".length());
        List<OstRef> out = new ArrayList<>(targets.size());
        for (TargetObdParser.Target t : targets) {
            out.add(new OstRef(fs, t.name(), t.index(), t.uuid(), t.active(), t.name() + "-osc-" + mdtPart));
        }
        return List.copyOf(out);
    }

    private long lodNumber(String lod, String file, Errors errs) {
        String rel = "lod/" + lod + "/" + file;
        String text = layout.read(LustreLayout.Item.LOD_ATTR, rel);
        if (text == null) {
            return -1;
        }
        Long n = parsed(LustreLayout.Item.LOD_ATTR, rel, text, NumberParser::parse, errs);
        return n == null ? -1 : n;
    }

    /**
     * Reads one OST's OSP files. A field whose file vanished or holds garbage keeps its previous
     * value (counted); when the OSP directory is gone altogether the previous detail is returned.
     */
    private Detail readDetail(OstRef ref, Detail prev, long now, Errors errs) {
        String dir = "osp/" + ref.osp() + "/";
        String totalText = layout.read(LustreLayout.Item.OSP_ATTR, dir + "kbytestotal");
        if (totalText == null) {
            errs.add(dir + "kbytestotal: absent although " + ref.name() + " is in target_obd");
            return prev;
        }
        long kbTotal = number(dir + "kbytestotal", totalText, prev == null ? -1 : prev.kbytesTotal(), errs);
        long kbFree = attr(dir + "kbytesfree", prev == null ? -1 : prev.kbytesFree(), errs);
        long kbAvail = attr(dir + "kbytesavail", prev == null ? -1 : prev.kbytesAvail(), errs);
        long filesTotal = attr(dir + "filestotal", prev == null ? -1 : prev.filesTotal(), errs);
        long filesFree = attr(dir + "filesfree", prev == null ? -1 : prev.filesFree(), errs);
        Boolean ospActive = prev == null ? null : prev.ospActive();
        String activeText = layout.read(LustreLayout.Item.OSP_ATTR, dir + "active");
        if (activeText != null) {
            Boolean flag = parsed(LustreLayout.Item.OSP_ATTR, dir + "active", activeText, NumberParser::parseFlag, errs);
            if (flag != null) {
                ospActive = flag;
            }
        }

        String state = prev == null ? "" : prev.state();
        String nid = prev == null ? "" : prev.nid();
        String importText = layout.read(LustreLayout.Item.OSP_IMPORT, dir + "import");
        if (importText != null) {
            ImportParser.Import imp = parsed(LustreLayout.Item.OSP_IMPORT, dir + "import", importText,
                    ImportParser::parse, errs);
            if (imp != null) {
                state = imp.state();
                nid = imp.currentNid();
            }
        } else {
            // No import (e.g. an older or trimmed tree): the one-line files say the same.
            String osu = layout.read(LustreLayout.Item.OSP_IMPORT, dir + "ost_server_uuid");
            OstServerUuidParser.OstServerUuid o = osu == null ? null
                    : parsed(LustreLayout.Item.OSP_IMPORT, dir + "ost_server_uuid", osu, OstServerUuidParser::parse, errs);
            if (o != null) {
                state = o.state();
                if (o.deactivated()) {
                    ospActive = Boolean.FALSE;
                }
            }
            String conn = layout.read(LustreLayout.Item.OSP_ATTR, dir + "ost_conn_uuid");
            if (conn != null && !conn.isBlank()) {
                nid = conn.strip();
            }
        }

        long since = prev != null && prev.state().equals(state) ? prev.sinceSeconds() : -1;
        boolean changed = prev != null && !prev.state().equals(state);
        if (!state.isEmpty() && (changed || (!state.equals("FULL") && since < 0))) {
            String stateText = layout.read(LustreLayout.Item.OSP_IMPORT, dir + "state");
            StateParser.State st = stateText == null ? null
                    : parsed(LustreLayout.Item.OSP_IMPORT, dir + "state", stateText, StateParser::parse, errs);
            if (st != null && st.current().equals(state)) {
                since = st.since();
            }
        }
        return new Detail(state, nid, ospActive, kbTotal, kbFree, kbAvail, filesTotal, filesFree, since, now);
    }

    private long attr(String rel, long previous, Errors errs) {
        String text = layout.read(LustreLayout.Item.OSP_ATTR, rel);
        if (text == null) {
            errs.add(rel + ": vanished");
            return previous;
        }
        return number(rel, text, previous, errs);
    }

    private long number(String rel, String text, long previous, Errors errs) {
        Long n = parsed(LustreLayout.Item.OSP_ATTR, rel, text, NumberParser::parse, errs);
        return n == null ? previous : n;
    }

    /** A parser of one Lustre file kind, given the file's path for its messages. */
    private interface ItemParser<T> {
        T parse(String path, String text) throws LustreParseException;
    }

    /**
     * {@code text}, read from {@code rel}, parsed; null when it does not parse: the error is counted
     * and logged, and the caller keeps what it had.
     */
    private <T> T parsed(LustreLayout.Item item, String rel, String text, ItemParser<T> parser, Errors errs) {
        try {
            return parser.parse(layout.pathOf(item, rel), text);
        } catch (LustreParseException e) {
            errs.add(e.getMessage());
            return null;
        }
    }
}
