package org.lustre.collector.lustre;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the files of one target (which, and where in each version: docs/lustre-layout.md, "What is
 * read per target"): {@link #connection} is the sweep's cheap read, {@link #full} everything.
 * A file that is absent gives "unknown" (-1, ""): versions and captures differ in what they
 * have. A file that exists but cannot be read, or holds garbage, keeps the previous value and is
 * counted: it never fakes a change. Any thread.
 */
final class TargetReads {
    private static final String[] SPACE = {"kbytestotal", "kbytesfree", "kbytesavail", "filestotal", "filesfree"};
    private static final long BOOT_RECHECK_MILLIS = 600_000;

    /** Distinct NIDs shared at most; past it a NID is kept as read. */
    static final int MAX_SHARED_NIDS = 65_536;

    private final LustreLayout layout;
    /**
     * One String per distinct NID: an OSS serves several OSTs, and at 100,000 OSTs one copy per
     * target is megabytes of the heap. Scan thread and getNodeInfo refreshes.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> nids = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long bootEpoch = -1;
    private volatile long bootReadMillis = Long.MIN_VALUE / 2;

    TargetReads(LustreLayout layout) {
        this.layout = layout;
    }

    /**
     * The connection state only, from each OSP device's one-line server_uuid file (its
     * {@code import} where absent); {@code prev} itself when every file is unchanged.
     */
    Reading connection(Target t, Reading prev, TreeErrors.Tally errs) {
        Reading.Connection c = readConnection(t, prev.connection(), errs);
        if (c == prev.connection()) {
            return prev;
        }
        String state = c.worst();
        long since = since(t, c, state, prev, errs);
        return new Reading(c, state, prev.activeZero(), prev.nid(), prev.space(), prev.exports(), prev.recovery(),
                since, prev.updatedMillis());
    }

    /** The connection, space, the OSPs' {@code active}, the peer, and a local target's exports and recovery. */
    Reading full(Target t, Reading prev, long nowMillis, TreeErrors.Tally errs) {
        Reading.Connection c = readConnection(t, prev.connection(), errs);
        String state = c.worst();
        long since = since(t, c, state, prev, errs);
        boolean activeZero = prev.activeZero();
        String nid = prev.nid();
        long[] space = null;
        if (t.ospCount() > 0) {
            // The server_uuid line says DEACTIVATED exactly when active reads 0 (both print the
            // import's imp_deactive), so active is read only where that file is absent.
            activeZero = c.allRead() ? false : activeZero(t, prev.activeZero(), errs);
            nid = shared(text(LustreLayout.Item.OSP_ATTR, "osp/" + t.osp(0) + "/" + t.connUuidFile(), nid, errs));
        }
        if (t.localOst()) {
            space = space(LustreLayout.Item.OBDFILTER_ATTR, "obdfilter/" + t.name() + "/", prev.space(), errs);
        }
        if (space == null && t.local() && t.osd() != null) {
            space = space(LustreLayout.Item.OSD_ATTR, t.osd() + "/" + t.name() + "/", prev.space(), errs);
        }
        for (int i = 0; space == null && i < t.ospCount(); i++) {
            space = space(LustreLayout.Item.OSP_ATTR, "osp/" + t.osp(i) + "/", prev.space(), errs);
        }
        long exports = prev.exports();
        RecoveryStatus recovery = prev.recovery();
        if (t.local()) {
            String dir = (t.localMdt() ? "mdt/" : "obdfilter/") + t.name() + "/";
            exports = number(LustreLayout.Item.NUM_EXPORTS, dir + "num_exports", exports, errs);
            recovery = recovery(dir + "recovery_status", recovery, nowMillis, errs);
        }
        return new Reading(c, state, activeZero, nid, space == null ? prev.space() : space, exports, recovery, since,
                nowMillis);
    }

    private Reading.Connection readConnection(Target t, Reading.Connection prev, TreeErrors.Tally errs) {
        List<String> mdts = t.ospMdts();
        Reading.Connection was = prev.ospMdts().equals(mdts) ? prev : Reading.Connection.none(mdts);
        int n = mdts.size();
        // Copied on the first change only: at 100,000 OSTs the sweep reads 8,334 a scan, nearly
        // all unchanged, and then allocates no more than the line it expects.
        String[] states = was.states();
        boolean[] deactivated = was.deactivated();
        boolean[] read = was.serverUuidRead();
        boolean copied = was != prev;
        for (int i = 0; i < n; i++) {
            String rel = "osp/" + t.osp(i) + "/" + t.serverUuidFile();
            byte[] expected = read[i] ? serverUuidLine(t.uuid(), states[i], deactivated[i]) : null;
            byte[] now;
            try {
                now = layout.readIfChanged(LustreLayout.Item.OSP_IMPORT, rel, expected);
            } catch (IOException e) {
                errs.read(LustreLayout.Item.OSP_IMPORT, layout.pathOf(LustreLayout.Item.OSP_IMPORT, rel), e);
                continue;
            }
            if (now == expected && now != null) {
                continue;
            }
            if (!copied) {
                states = states.clone();
                deactivated = deactivated.clone();
                read = read.clone();
                copied = true;
            }
            if (now == null) {
                read[i] = false;
                states[i] = importState(t.osp(i), states[i], errs);
                continue;
            }
            try {
                OstServerUuidParser.OstServerUuid o = OstServerUuidParser.parse(
                        layout.pathOf(LustreLayout.Item.OSP_IMPORT, rel), new String(now, StandardCharsets.UTF_8));
                states[i] = ImportStates.canonical(o.state());
                deactivated[i] = o.deactivated();
                read[i] = true;
            } catch (LustreParseException e) {
                errs.parse(e.getMessage());
            }
        }
        return copied ? new Reading.Connection(mdts, states, deactivated, read) : prev;
    }

    /**
     * The line lprocfs_server_uuid_seq_show prints for this state, "%s\t%s%s\n": compared with
     * the file in the read buffer, so that an unchanged file is neither decoded nor kept (the
     * last bytes of 100,000 files would be 6 MB of the heap). A line that differs in any other
     * way (another uuid, padding) is parsed at every read, and its figures are still right.
     */
    static byte[] serverUuidLine(String uuid, String state, boolean deactivated) {
        return (uuid + "\t" + state + (deactivated ? "\tDEACTIVATED\n" : "\n")).getBytes(StandardCharsets.UTF_8);
    }

    /** Where a version has no server_uuid file: the import's state; {@code previous} when absent too. */
    private String importState(String osp, String previous, TreeErrors.Tally errs) {
        ImportParser.Import imp = layout.parse(LustreLayout.Item.OSP_IMPORT, "osp/" + osp + "/import",
                ImportParser::parse, null, null, errs);
        return imp == null ? previous : ImportStates.canonical(imp.state());
    }

    /**
     * When the import entered {@code state}, epoch seconds: carried over while the state holds,
     * else from the {@code state} file's history of the device that reports it (-1 unknown).
     */
    private long since(Target t, Reading.Connection c, String state, Reading prev, TreeErrors.Tally errs) {
        if (state.equals(prev.state())) {
            return prev.sinceSeconds();
        }
        if (state.isEmpty() || (prev.state().isEmpty() && state.equals("FULL"))) {
            // Unknown, or FULL at the first read: no trap will need when it began, and at
            // 100,000 OSTs the first sweep would read every state file for nothing.
            return -1;
        }
        for (int i = 0; i < c.states().length; i++) {
            if (c.states()[i].equals(state)) {
                StateParser.State st = layout.parse(LustreLayout.Item.OSP_IMPORT, "osp/" + t.osp(i) + "/state",
                        StateParser::parse, null, null, errs);
                return st != null && st.current().equals(state) ? st.since() : -1;
            }
        }
        return -1;
    }

    /** True when any OSP device's {@code active} reads 0; {@code previous} when none could be read. */
    private boolean activeZero(Target t, boolean previous, TreeErrors.Tally errs) {
        boolean seen = false;
        for (int i = 0; i < t.ospCount(); i++) {
            Boolean active = layout.parse(LustreLayout.Item.OSP_ATTR, "osp/" + t.osp(i) + "/active",
                    NumberParser::parseFlag, null, null, errs);
            if (active == null) {
                continue;
            }
            if (!active) {
                return true;
            }
            seen = true;
        }
        return seen ? false : previous;
    }

    /**
     * The five space figures under {@code dir}; null when its kbytestotal is absent (look
     * elsewhere). A figure that cannot be read or parsed keeps its previous value.
     */
    private long[] space(LustreLayout.Item item, String dir, long[] prev, TreeErrors.Tally errs) {
        long[] out = new long[SPACE.length];
        String total;
        try {
            total = layout.read(item, dir + SPACE[0]);
        } catch (IOException e) {
            // ENOTCONN from a deactivated OSP: keep the figures, try the next device.
            errs.read(item, layout.pathOf(item, dir + SPACE[0]), e);
            return null;
        }
        if (total == null) {
            return null;
        }
        out[0] = parseNumber(item, dir + SPACE[0], total, prev[0], errs);
        for (int i = 1; i < SPACE.length; i++) {
            out[i] = number(item, dir + SPACE[i], prev[i], errs);
        }
        return out;
    }

    private long number(LustreLayout.Item item, String rel, long previous, TreeErrors.Tally errs) {
        String text;
        try {
            text = layout.read(item, rel);
        } catch (IOException e) {
            errs.read(item, layout.pathOf(item, rel), e);
            return previous;
        }
        return text == null ? -1 : parseNumber(item, rel, text, previous, errs);
    }

    private long parseNumber(LustreLayout.Item item, String rel, String text, long previous, TreeErrors.Tally errs) {
        try {
            return NumberParser.parse(layout.pathOf(item, rel), text);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
            return previous;
        }
    }

    private String shared(String nid) {
        String known = nids.get(nid);
        if (known != null) {
            return known;
        }
        if (nids.size() >= MAX_SHARED_NIDS) {
            return nid;
        }
        known = nids.putIfAbsent(nid, nid);
        return known != null ? known : nid;
    }

    /** A one-line text file, stripped; {@code previous} when unreadable, "" when absent or blank. */
    private String text(LustreLayout.Item item, String rel, String previous, TreeErrors.Tally errs) {
        try {
            String t = layout.read(item, rel);
            return t == null ? "" : t.strip();
        } catch (IOException e) {
            errs.read(item, layout.pathOf(item, rel), e);
            return previous;
        }
    }

    private RecoveryStatus recovery(String rel, RecoveryStatus previous, long nowMillis, TreeErrors.Tally errs) {
        return layout.parse(LustreLayout.Item.RECOVERY_STATUS, rel,
                (path, text) -> RecoveryStatusParser.parse(path, text, bootEpoch(nowMillis)), previous, previous, errs);
    }

    /**
     * When this node booted, epoch seconds, from {@code proc/uptime} (for the 2.12.4-2.12.9
     * recovery_start); -1 when unknown. Re-read every ten minutes (the clock may be stepped).
     */
    private long bootEpoch(long nowMillis) {
        if (nowMillis - bootReadMillis < BOOT_RECHECK_MILLIS) {
            return bootEpoch;
        }
        long boot = -1;
        try {
            String up = layout.readRoot("proc/uptime");
            if (up != null && !up.isBlank()) {
                String first = up.strip().split("\\s+")[0];
                boot = (nowMillis - Math.round(Double.parseDouble(first) * 1000)) / 1000;
            }
        } catch (IOException | NumberFormatException e) {
            boot = -1;
        }
        bootEpoch = boot;
        bootReadMillis = nowMillis;
        return boot;
    }
}
