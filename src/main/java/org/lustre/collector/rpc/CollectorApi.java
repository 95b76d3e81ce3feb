package org.lustre.collector.rpc;

import static org.lustre.collector.rpc.AnswerTypes.clampInt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.xmlrpc.XmlRpcException;
import org.lustre.collector.Version;
import org.lustre.collector.lustre.FileSystemState;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.lustre.RecoveryStatus;
import org.lustre.collector.service.Collector;
import org.lustre.collector.source.SourceHealth;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;

/**
 * The XML-RPC API (README.md, "XML-RPC API"), answered from one {@link Collector}. Results use only the types
 * Apache XML-RPC writes with extensions off: times and counters are int (counters saturate at
 * 2^31-1), space and inode figures are double (a petabyte OST has more KiB than an int holds).
 * Runs on Tomcat's request threads; reads only.
 */
public final class CollectorApi {
    private final Collector collector;
    private final EncodedTraps encoded;
    private final TrapsSince trapsSince;
    private record NotResponding(LustreSnapshot snapshot, Map<String, Object[]> byFs) {
    }

    /**
     * getFileSystemInfo's notResponding, kept until the next scan publishes a new snapshot: the
     * web page asks every file system every few seconds, walking 100,000 OSTs each time would cost
     * milliseconds a round, and the answer cannot change before the snapshot does.
     */
    private volatile NotResponding notResponding = new NotResponding(LustreSnapshot.EMPTY, Map.of());

    private record CachedStates(Map<String, NodeState> nodes, Map<String, Object> answer) {
    }

    /**
     * getTargetStates' answers by file system, kept while the scan hands on that file system's
     * node map unchanged (the same object): the page asks every file system every few seconds,
     * and most of them change rarely. A file system that disappeared leaves one stale entry
     * behind, bounded by the file systems ever seen.
     */
    private final Map<String, CachedStates> targetStates = new ConcurrentHashMap<>();

    public CollectorApi(Collector collector) {
        this.collector = collector;
        this.encoded = new EncodedTraps(collector.store().capacity());
        this.trapsSince = new TrapsSince(collector.store(), collector.config().maxTraps(), encoded,
                AnswerLimit.TRAP_BYTES);
    }

    public List<RpcMethod> methods() {
        return List.of(
                RpcMethod.of("getFileSystems", "array", "Names of the file systems this MDS serves.",
                        a -> getFileSystems()),
                RpcMethod.of("getNodeNames", "array",
                        "Target names (OSTs and MDTs) of a file system; \"\" for all file systems.",
                        a -> getNodeNames(a.getString(0)), "fsName:string"),
                RpcMethod.of("getNodeInfo", "struct",
                        "State of one target: name, fs, kind, index, uuid, nid, active, state, responding, "
                                + "kbytesTotal, kbytesFree, kbytesAvail, filesTotal, filesFree, updated, exports, "
                                + "recovery {status, start, duration, completedClients, totalClients, evictedClients}. "
                                + "Fault 2 when unknown.",
                        a -> getNodeInfo(a.getString(0)), "nodeName:string"),
                RpcMethod.of("getTraps", "array",
                        "[traps, timestamp]: the traps received after 'time' up to 'timestamp' (the last whole "
                                + "second already closed, or earlier when the answer was cut at its 4 MiB cap), oldest first, "
                                + "each [message, category, nodeName]. Pass the timestamp back next time to see every "
                                + "trap exactly once. Traps that left the store first are counted in one Warning row "
                                + "of the collector's own (node \"\").",
                        a -> getTraps(a.getInt(0)), "time:int"),
                RpcMethod.of("getLastTimestamp", "int", "Receive time of the newest trap; 0 when none.",
                        a -> clampInt(collector.store().lastReceiveTime())),
                RpcMethod.of("getFileSystemInfo", "struct",
                        "A file system: name, traps, trapsByCategory, nodes, notResponding, kbytesTotal, "
                                + "kbytesFree. Fault 3 when unknown.",
                        a -> getFileSystemInfo(a.getString(0)), "fsName:string"),
                RpcMethod.of("getCollectorInfo", "struct",
                        "The collector itself: version, started, maxtraps, trap counters (trapsEvicted: left the store "
                                + "for newer ones; trapsDropped: lost at intake), parseErrors, last scan, "
                                + "lustreVersion, treeReadErrors, and each source's state (lustre-tree among them).",
                        a -> getCollectorInfo()),
                RpcMethod.of("getTrapRecords", "struct",
                        "Traps after 'cursor' (at most 'limit'): {traps: [{id, time, eventTime, category, node, fs, "
                                + "message, count, source, nodes}], cursor, dropped, truncated}. Pass the cursor back next "
                                + "time; dropped counts traps that left the store before this client read them; "
                                + "truncated is true when the answer stopped at its 4 MiB cap (ask again at once).",
                        a -> getTrapRecords(a.getInt(0), a.getInt(1)), "cursor:int", "limit:int"),
                RpcMethod.of("getTargetStates", "struct",
                        "Every target of a file system as one letter, in index order: {name, version, kinds: [{kind, "
                                + "first, codes}], names, omitted}. Letter i of codes is the target of index first+i, "
                                + "named <fs>-<kind><index as %04x> unless listed in names; R responding, D not "
                                + "responding, I inactive, F full, H unhealthy, U unknown, - no such target. Pass the "
                                + "version back (0 the first time): while it is current the answer is only {name, "
                                + "version, unchanged: true}. Fault 3 when unknown.",
                        a -> getTargetStates(a.getString(0), a.getInt(1)), "fsName:string", "version:int"));
    }

    private LustreSnapshot readySnapshot() throws XmlRpcException {
        if (!collector.ready()) {
            throw new XmlRpcException(Faults.NOT_READY, "collector not ready: the first scan has not finished");
        }
        return collector.snapshot();
    }

    Object[] getFileSystems() throws XmlRpcException {
        return readySnapshot().fileSystems().keySet().stream().sorted().toArray();
    }

    Object[] getNodeNames(String fs) throws XmlRpcException {
        LustreSnapshot s = readySnapshot();
        if (fs.isEmpty()) {
            return s.nodes().keySet().stream().sorted().toArray();
        }
        FileSystemState f = s.fileSystems().get(fs);
        if (f == null) {
            throw unknownFs(fs);
        }
        return f.nodes().toArray();
    }

    Map<String, Object> getNodeInfo(String name) throws XmlRpcException {
        readySnapshot();
        Optional<NodeState> found = collector.node(name);
        if (found.isEmpty()) {
            throw new XmlRpcException(Faults.UNKNOWN_NODE, "unknown node: " + Faults.shown(name));
        }
        NodeState n = found.get();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("fs", n.fs());
        m.put("kind", n.kind());
        m.put("index", n.index());
        m.put("uuid", n.uuid());
        m.put("nid", n.nid());
        m.put("active", n.active());
        m.put("state", n.state());
        m.put("responding", n.responding());
        m.put("kbytesTotal", (double) n.kbytesTotal());
        m.put("kbytesFree", (double) n.kbytesFree());
        m.put("kbytesAvail", (double) n.kbytesAvail());
        m.put("filesTotal", (double) n.filesTotal());
        m.put("filesFree", (double) n.filesFree());
        m.put("updated", seconds(n.updatedMillis()));
        m.put("exports", (double) n.exports());
        m.put("recovery", recovery(n.recovery()));
        return m;
    }

    /** A target's recovery_status; numbers -1 when the file does not print them, status "" unknown. */
    private static Map<String, Object> recovery(RecoveryStatus r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status());
        m.put("start", clampInt(r.startEpoch()));
        m.put("duration", clampInt(r.durationSeconds()));
        m.put("completedClients", clampInt(r.completedClients()));
        m.put("totalClients", clampInt(r.totalClients()));
        m.put("evictedClients", clampInt(r.evictedClients()));
        return m;
    }

    Object[] getTraps(int time) {
        TrapsSince.Answer a = trapsSince.answer(time);
        return new Object[] {a.rows(), clampInt(a.timestamp())};
    }

    Map<String, Object> getFileSystemInfo(String fs) throws XmlRpcException {
        LustreSnapshot s = readySnapshot();
        FileSystemState f = s.fileSystems().get(fs);
        if (f == null) {
            throw unknownFs(fs);
        }
        long[] byCat = collector.store().countsByCategory(fs);
        Map<String, Object> cats = new LinkedHashMap<>();
        long total = 0;
        for (Category c : Category.values()) {
            cats.put(c.label(), clampInt(byCat[c.code()]));
            total += byCat[c.code()];
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("traps", clampInt(total));
        m.put("trapsByCategory", cats);
        m.put("nodes", f.nodes().size());
        m.put("notResponding", notRespondingIn(s, f));
        m.put("kbytesTotal", (double) f.kbytesTotal());
        m.put("kbytesFree", (double) f.kbytesFree());
        return m;
    }

    /** The targets of {@code f} that do not respond in {@code s}; any thread (a race only computes twice). */
    private Object[] notRespondingIn(LustreSnapshot s, FileSystemState f) {
        NotResponding cache = notResponding;
        if (cache.snapshot() != s) {
            cache = new NotResponding(s, new ConcurrentHashMap<>());
            notResponding = cache;
        }
        return cache.byFs().computeIfAbsent(f.name(), name -> {
            List<Object> out = new ArrayList<>();
            // The file system's own map: one hash lookup a node, not the snapshot-wide two.
            Map<String, NodeState> nodes = s.nodesOf(name);
            for (String node : f.nodes()) {
                NodeState n = nodes.get(node);
                if (n != null && !n.responding()) {
                    out.add(node);
                }
            }
            return out.toArray();
        });
    }

    Map<String, Object> getTargetStates(String fs, int version) throws XmlRpcException {
        LustreSnapshot s = readySnapshot();
        if (!s.fileSystems().containsKey(fs)) {
            throw unknownFs(fs);
        }
        Map<String, NodeState> nodes = s.nodesOf(fs);
        CachedStates cached = targetStates.get(fs);
        if (cached == null || cached.nodes() != nodes) {
            cached = new CachedStates(nodes, TargetStates.answer(fs, nodes));
            targetStates.put(fs, cached);
        }
        return TargetStates.reply(cached.answer(), version);
    }

    Map<String, Object> getCollectorInfo() {
        TrapStore.Stats st = collector.store().stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Version.get());
        m.put("started", seconds(collector.startedMillis()));
        m.put("maxtraps", collector.config().maxTraps());
        m.put("trapsReceived", clampInt(st.received()));
        m.put("trapsStored", clampInt(st.stored()));
        m.put("trapsEvicted", clampInt(st.evicted()));
        m.put("trapsCoalesced", clampInt(st.coalesced()));
        m.put("trapsDropped", clampInt(collector.trapsDropped()));
        m.put("parseErrors", clampInt(collector.parseErrors()));
        m.put("lastScan", seconds(collector.lastScanMillis()));
        m.put("lastScanMillis", clampInt(collector.lastScanDuration()));
        m.put("lustreVersion", collector.lustreVersion());
        m.put("treeReadErrors", clampInt(collector.treeReadErrors()));
        List<Object> sources = new ArrayList<>();
        for (SourceHealth h : collector.sources()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", h.name());
            s.put("path", h.path());
            s.put("state", h.state());
            s.put("message", h.message());
            s.put("parseErrors", clampInt(h.parseErrors()));
            sources.add(s);
        }
        m.put("sources", sources.toArray());
        List<Object> outputs = new ArrayList<>();
        long missed = collector.forwarding().missed();
        for (org.lustre.collector.forward.OutputStats o : collector.forwarding().stats()) {
            outputs.add(Map.of("kind", o.kind(), "target", o.target(), "state", o.state(), "message", o.message(),
                    "sent", clampInt(o.sent()), "unsent", clampInt(o.queueFull() + o.rejected() + missed),
                    "queued", o.queued()));
        }
        m.put("outputs", outputs.toArray());
        return m;
    }

    Map<String, Object> getTrapRecords(int cursor, int limit) throws XmlRpcException {
        if (cursor < 0) {
            throw Faults.badArguments("getTrapRecords: argument 1 (cursor) must not be negative");
        }
        if (limit < 1) {
            throw Faults.badArguments("getTrapRecords: argument 2 (limit) must be at least 1");
        }
        TrapStore.Page page = collector.store().read(cursor, Math.min(limit, collector.config().maxTraps()));
        // Cut at a whole trap before the answer passes its byte cap; the cursor then stops at the
        // last trap sent, so the next call continues right after it and nothing is missed.
        List<Object> rows = new ArrayList<>(page.traps().size());
        long bytes = 0;
        long cursorOut = page.cursor();
        for (Trap t : page.traps()) {
            EncodedValue r = encoded.record(t);
            if (bytes + r.length() > AnswerLimit.TRAP_BYTES && !rows.isEmpty()) {
                break;
            }
            bytes += r.length();
            rows.add(r);
            cursorOut = t.seq();
        }
        boolean truncated = rows.size() < page.traps().size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("traps", rows.toArray());
        m.put("cursor", clampInt(cursorOut));
        m.put("dropped", clampInt(page.dropped()));
        m.put("truncated", truncated);
        return m;
    }

    private static XmlRpcException unknownFs(String fs) {
        return new XmlRpcException(Faults.UNKNOWN_FILE_SYSTEM, "unknown file system: " + Faults.shown(fs));
    }

    private static int seconds(long millis) {
        return clampInt(millis / 1000);
    }
}
