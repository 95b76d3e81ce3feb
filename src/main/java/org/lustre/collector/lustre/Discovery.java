package org.lustre.collector.lustre;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the targets of this node from every place Lustre lists them, since no single file has
 * them all on every version or capture (the listings: docs/lustre-layout.md, "Which targets").
 * A target seen through the OSP devices of several local MDTs is one target.
 *
 * <p>Directory listings cost one entry per OSP (100,000 at scale), so {@link #discover} runs
 * seldom (the scanner's {@code DISCOVERY_MILLIS}) and keeps the inventory when every listing and
 * LOD file reads as before; between, {@link #refresh} only re-reads each LOD's target_obd: one
 * that changed flags only patches those targets, one that lists other OSTs asks for a new
 * discovery.
 *
 * <p>A listing or target_obd that cannot be read never drops a target: the targets of the
 * previous inventory that were not found again are kept (a vanished OSP device, read fine, does
 * drop its target). Scan thread only.
 */
final class Discovery {
    private static final Pattern LOD = Pattern.compile("([A-Za-z0-9_-]{1,32})-(MDT[0-9a-fA-F]{4,8})-mdtlov");
    private static final Pattern FS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private static final String MGS_FILESYSTEMS = "mgs/MGS/filesystems";

    private final LustreLayout layout;
    /** What the last complete discovery was built from; null before one, or after an incomplete one. */
    private Built last;

    Discovery(LustreLayout layout) {
        this.layout = layout;
    }

    /**
     * Re-reads each LOD's target_obd of {@code prev}; {@code prev} itself when none changed (or
     * one could not be read), else {@code prev} patched or a new discovery.
     */
    Inventory refresh(Inventory prev, TreeErrors.Tally errs) {
        Map<String, byte[]> read = new HashMap<>();
        boolean changed = false;
        for (String lod : prev.lods().values()) {
            byte[] before = prev.obdBytes().get(lod);
            byte[] now = before;
            try {
                now = layout.readIfChanged(LustreLayout.Item.TARGET_OBD, "lod/" + lod + "/target_obd", before);
            } catch (IOException e) {
                errs.read(LustreLayout.Item.TARGET_OBD, layout.pathOf(LustreLayout.Item.TARGET_OBD,
                        "lod/" + lod + "/target_obd"), e);
            }
            if (now != before) {
                changed = true;
            }
            if (now != null) {
                read.put(lod, now);
            }
        }
        if (!changed) {
            return prev;
        }
        Inventory patched = patchFlags(prev, read);
        return patched != null ? patched : discover(prev, read, errs);
    }

    /**
     * {@code prev} with the ACTIVE flags and uuids of the changed target_obd files, when they list
     * exactly the OSTs they listed before (a deactivation, statfs failing in a router storm):
     * only the targets whose line changed are new objects. Null when a file lists other OSTs or
     * does not parse: then a whole discovery (new OSTs come with new OSP devices, and it counts
     * the errors), at 100,000 OSTs about a second of CPU and 30 MB of garbage.
     */
    private Inventory patchFlags(Inventory prev, Map<String, byte[]> read) {
        Map<String, List<Target>> byFs = new HashMap<>(prev.byFs());
        Map<String, byte[]> obdBytes = new HashMap<>(prev.obdBytes());
        for (Map.Entry<String, String> e : prev.lods().entrySet()) {
            String fs = e.getKey();
            String lod = e.getValue();
            byte[] now = read.get(lod);
            if (now == null || now == prev.obdBytes().get(lod)) {
                continue;
            }
            List<TargetObdParser.Target> lines;
            try {
                lines = TargetObdParser.parse(lod, new String(now, StandardCharsets.UTF_8));
            } catch (LustreParseException ex) {
                return null;
            }
            List<Target> before = byFs.getOrDefault(fs, List.of());
            Map<String, TargetObdParser.Target> listed = new HashMap<>();
            for (TargetObdParser.Target l : lines) {
                listed.put(l.name(), l);
            }
            if (listed.size() != lines.size()) {
                return null;
            }
            List<Target> out = new ArrayList<>(before.size());
            for (Target t : before) {
                // Each OST target_obd listed before takes its line; a line left over is a new OST.
                boolean wasListed = t.id().isOst() && t.lodActive() != null;
                TargetObdParser.Target l = wasListed ? listed.remove(t.name()) : null;
                if (wasListed && l == null) {
                    return null;
                }
                boolean same = l == null || (t.lodActive() == l.active() && t.uuid().equals(l.uuid()));
                out.add(same ? t : new Target(t.id(), l.uuid(), t.ospMdts(), l.active(), t.osd(), t.localMdt(),
                        t.localOst()));
            }
            if (!listed.isEmpty()) {
                return null;
            }
            byFs.put(fs, List.copyOf(out));
            obdBytes.put(lod, now);
        }
        return new Inventory(byFs, prev.lods(), obdBytes);
    }

    /** Lists everything and builds the inventory anew ({@code prev}: what to keep when a read fails). */
    Inventory discover(Inventory prev, TreeErrors.Tally errs) {
        return discover(prev, Map.of(), errs);
    }

    private Inventory discover(Inventory prev, Map<String, byte[]> obdRead, TreeErrors.Tally errs) {
        long failuresBefore = layout.listFailures();
        Listings listings = Listings.read(layout);
        Map<String, TreeSet<String>> lodsByFs = new TreeMap<>();
        for (String name : listings.lods()) {
            Matcher m = LOD.matcher(name);
            if (m.matches()) {
                lodsByFs.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(name);
            }
        }
        boolean incomplete = false;
        Map<String, String> lods = new TreeMap<>();
        Map<String, byte[]> obdBytes = new HashMap<>();
        Map<String, String> mdtObd = new HashMap<>();
        for (Map.Entry<String, TreeSet<String>> e : lodsByFs.entrySet()) {
            String lod = e.getValue().first();
            lods.put(e.getKey(), lod);
            byte[] bytes = obdRead.get(lod);
            if (bytes == null) {
                try {
                    bytes = layout.readIfChanged(LustreLayout.Item.TARGET_OBD, "lod/" + lod + "/target_obd",
                            prev.obdBytes().get(lod));
                } catch (IOException ex) {
                    errs.read(LustreLayout.Item.TARGET_OBD, layout.pathOf(LustreLayout.Item.TARGET_OBD,
                            "lod/" + lod + "/target_obd"), ex);
                    bytes = prev.obdBytes().get(lod);
                    incomplete = true;
                }
            }
            if (bytes != null) {
                obdBytes.put(lod, bytes);
            }
            String text = layout.parse(LustreLayout.Item.TARGET_OBD, "lod/" + lod + "/mdt_obd",
                    LustreLayout.Parser.TEXT, null, null, errs);
            if (text != null) {
                mdtObd.put(lod, text);
            }
        }
        String mgs = layout.parse(LustreLayout.Item.MGS_FILESYSTEMS, MGS_FILESYSTEMS, LustreLayout.Parser.TEXT, null,
                null, errs);
        incomplete |= layout.listFailures() != failuresBefore;

        // Building the targets costs about a second of CPU at 100,000 OSTs, and the periodic
        // discovery nearly always finds what the last one found. target_obd bytes compare by
        // identity: readIfChanged hands back the previous array when the file is unchanged.
        Built now = Built.of(listings, obdBytes, mdtObd, mgs);
        if (!incomplete && now.sameAs(last) && prev.obdBytes().equals(obdBytes) && !prev.byFs().isEmpty()) {
            return prev;
        }
        Inventory inv = build(prev, now, listings.osps(), lods, lodsByFs, incomplete, errs);
        // Kept only when complete: after a failed listing the next discovery must build again.
        last = incomplete ? null : now;
        return inv;
    }

    private Inventory build(Inventory prev, Built in, List<String> osps, Map<String, String> lods,
                            Map<String, TreeSet<String>> lodsByFs, boolean incomplete, TreeErrors.Tally errs) {
        Map<String, Builder> targets = new TreeMap<>();
        lodsByFs.forEach((fs, names) -> {
            for (String lod : names) {
                TargetName mdt = TargetName.parse(fs + "-" + mdtPart(fs, lod));
                if (mdt != null) {
                    builder(targets, mdt).localMdt = true;
                }
            }
        });
        for (String name : in.listings().mdts()) {
            TargetName t = TargetName.parse(name);
            if (t != null && !t.isOst()) {
                builder(targets, t).localMdt = true;
            }
        }
        in.listings().osds().forEach((osd, names) -> {
            for (String name : names) {
                TargetName t = TargetName.parse(name);
                if (t != null) {
                    Builder b = builder(targets, t);
                    b.osd = osd;
                    if (t.isOst()) {
                        b.localOst = true;
                    } else {
                        b.localMdt = true;
                    }
                }
            }
        });
        for (String name : in.listings().obdfilters()) {
            TargetName t = TargetName.parse(name);
            if (t != null && t.isOst()) {
                builder(targets, t).localOst = true;
            }
        }
        for (String device : osps) {
            TargetName t = TargetName.ofOspDevice(device);
            if (t != null) {
                builder(targets, t).addOsp(device.substring(device.lastIndexOf('-') + 1));
            }
        }
        TreeSet<String> fileSystems = new TreeSet<>(mgsFileSystems(in.mgs(), errs));

        for (Map.Entry<String, String> e : lods.entrySet()) {
            String fs = e.getKey();
            String lod = e.getValue();
            String mdtPart = mdtPart(fs, lod);
            byte[] bytes = in.obdBytes().get(lod);
            if (bytes != null) {
                listed(targets, fs, "lod/" + lod + "/target_obd", new String(bytes, StandardCharsets.UTF_8),
                        mdtPart, errs);
            }
            String mdtObd = in.mdtObd().get(lod);
            if (mdtObd != null) {
                listed(targets, fs, "lod/" + lod + "/mdt_obd", mdtObd, mdtPart, errs);
            }
        }

        Map<String, List<Target>> byFs = new TreeMap<>();
        for (String fs : fileSystems) {
            byFs.put(fs, new ArrayList<>());
        }
        // Every OST of a file system without DNE is reached from the same MDT: one list for all.
        Map<List<String>, List<String>> sharedMdts = new HashMap<>();
        for (Builder b : targets.values()) {
            byFs.computeIfAbsent(b.id.fs(), k -> new ArrayList<>()).add(b.build(sharedMdts));
        }
        if (incomplete) {
            keepUnseen(prev, byFs);
        }
        Map<String, List<Target>> frozen = new TreeMap<>();
        byFs.forEach((fs, list) -> frozen.put(fs, reuse(prev.byFs().get(fs), list)));
        return new Inventory(frozen, lods, in.obdBytes());
    }

    /**
     * {@code now}, each target equal to one of {@code before} replaced by that one, and
     * {@code before} itself when nothing changed: no second copy of 100,000 targets on the heap,
     * and the scanner hands on the node maps of the file systems that are the same.
     */
    private static List<Target> reuse(List<Target> before, List<Target> now) {
        if (before == null) {
            return List.copyOf(now);
        }
        Map<String, Target> old = new HashMap<>();
        for (Target t : before) {
            old.put(t.name(), t);
        }
        List<Target> out = new ArrayList<>(now.size());
        for (Target t : now) {
            Target o = old.get(t.name());
            out.add(t.equals(o) ? o : t);
        }
        return out.equals(before) ? before : List.copyOf(out);
    }

    /** {@code MDTxxxx} of a LOD name {@code <fs>-MDTxxxx-mdtlov} that {@link #LOD} matched. */
    private static String mdtPart(String fs, String lod) {
        return lod.substring(fs.length() + 1, lod.length() - "-mdtlov".length());
    }

    private record Listings(List<String> lods, List<String> mdts, Map<String, List<String>> osds,
                            List<String> obdfilters, List<String> osps) {
        static Listings read(LustreLayout layout) {
            Map<String, List<String>> osds = new TreeMap<>();
            for (String osd : layout.osdTypes()) {
                osds.put(osd, layout.listAll(osd));
            }
            return new Listings(layout.listAll("lod"), layout.listAll("mdt"), osds, layout.listAll("obdfilter"),
                    layout.listFirst(LustreLayout.Item.OSP_ATTR, "osp"));
        }
    }

    /** What a complete discovery was built from, the OSP listing (100,000 names and more) as its SHA-256. */
    private record Built(Listings listings, ByteBuffer ospDigest, Map<String, byte[]> obdBytes,
                         Map<String, String> mdtObd, String mgs) {
        static Built of(Listings l, Map<String, byte[]> obdBytes, Map<String, String> mdtObd, String mgs) {
            Listings small = new Listings(l.lods(), l.mdts(), l.osds(), l.obdfilters(), List.of());
            return new Built(small, digest(l.osps()), obdBytes, mdtObd, mgs);
        }

        private static ByteBuffer digest(List<String> names) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (String n : names) {
                    sha.update(n.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) '\n');
                }
                return ByteBuffer.wrap(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        boolean sameAs(Built other) {
            return other != null && listings.equals(other.listings) && ospDigest.equals(other.ospDigest)
                    && mdtObd.equals(other.mdtObd) && java.util.Objects.equals(mgs, other.mgs);
        }
    }

    /** Adds the targets of {@code prev} missing from {@code byFs}, in name order. */
    private static void keepUnseen(Inventory prev, Map<String, List<Target>> byFs) {
        for (Map.Entry<String, List<Target>> e : prev.byFs().entrySet()) {
            List<Target> now = byFs.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            TreeMap<String, Target> merged = new TreeMap<>();
            for (Target t : e.getValue()) {
                merged.put(t.name(), t);
            }
            for (Target t : now) {
                merged.put(t.name(), t);
            }
            now.clear();
            now.addAll(merged.values());
        }
    }

    /**
     * The targets a target_obd or mdt_obd lists, with their uuid and ACTIVE flag; a listed
     * target with no OSP device found gets the one its LOD implies (of the LOD's MDT, {@code mdtPart}).
     */
    private void listed(Map<String, Builder> targets, String fs, String rel, String text, String mdtPart,
                        TreeErrors.Tally errs) {
        List<TargetObdParser.Target> list;
        try {
            list = TargetObdParser.parse(layout.pathOf(LustreLayout.Item.TARGET_OBD, rel), text);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
            return;
        }
        for (TargetObdParser.Target t : list) {
            TargetName id = TargetName.parse(t.name());
            if (id == null || !id.fs().equals(fs)) {
                errs.parse(layout.pathOf(LustreLayout.Item.TARGET_OBD, rel) + ": not a target of " + fs + ": "
                        + t.uuid());
                continue;
            }
            Builder b = builder(targets, id);
            b.uuid = t.uuid();
            b.lodActive = t.active();
            if (b.ospMdts.isEmpty()) {
                b.addOsp(mdtPart);
            }
        }
    }

    private List<String> mgsFileSystems(String text, TreeErrors.Tally errs) {
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (TextLine line : TextLine.nonBlank(text)) {
            if (FS_NAME.matcher(line.text()).matches()) {
                out.add(line.text());
            } else {
                errs.parse(layout.pathOf(LustreLayout.Item.MGS_FILESYSTEMS, MGS_FILESYSTEMS)
                        + ": not a file system name: \"" + line.text() + "\"");
            }
        }
        return out;
    }

    private static Builder builder(Map<String, Builder> targets, TargetName id) {
        return targets.computeIfAbsent(id.name(), k -> new Builder(id));
    }

    private static final class Builder {
        final TargetName id;
        /** Few (one per local MDT that reaches the target): a list, sorted when built. */
        final List<String> ospMdts = new ArrayList<>(1);
        String uuid;
        Boolean lodActive;
        String osd;
        boolean localMdt;
        boolean localOst;

        Builder(TargetName id) {
            this.id = id;
        }

        void addOsp(String mdt) {
            if (!ospMdts.contains(mdt)) {
                ospMdts.add(mdt);
            }
        }

        Target build(Map<List<String>, List<String>> sharedMdts) {
            ospMdts.sort(null);
            List<String> mdts = sharedMdts.computeIfAbsent(List.copyOf(ospMdts), k -> k);
            return new Target(id, uuid, mdts, lodActive, osd,
                    localMdt, localOst);
        }
    }
}
