package org.lustre.collector.lustre;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where each Lustre item lives on this node. From 2.10 to 2.17 files moved between proc, sysfs
 * and debugfs (docs/lustre-layout.md), and a node may be upgraded under a running collector, so
 * nothing here is keyed on a version: each {@link Item} has candidate roots, and a read goes
 * first to the root where the item was last found (one open per file in the steady state, as
 * with a hard-coded path); only when that finds nothing are the others tried. A file that is
 * simply absent costs one failed open per candidate root.
 *
 * <p>Thread-safe: the remembered roots are an atomic array; the scanner thread and RPC threads
 * (single-node refresh) share one instance.
 */
final class LustreLayout {
    static final String PROC = "proc/fs/lustre";
    static final String SYSFS = "sys/fs/lustre";
    static final String DEBUGFS = "sys/kernel/debug/lustre";
    private static final List<String> ALL_ROOTS = List.of(PROC, SYSFS, DEBUGFS);

    private static final Logger LOG = LogManager.getLogger(LustreLayout.class);

    /** Each item and its candidate roots, most likely first (see the table in docs/lustre-layout.md). */
    enum Item {
        /** {@code health_check}: sysfs from 2.10 (proc up to 2.9). */
        HEALTH_CHECK(SYSFS, PROC),
        /** The debugfs twin of {@code health_check} listing unhealthy devices (2.13 to 2.16). */
        HEALTH_DEVICES(DEBUGFS),
        /** {@code version}: sysfs (obd_sysfs.c {@code LUSTRE_RO_ATTR(version)}), proc before 2.10. */
        VERSION(SYSFS, PROC),
        /**
         * {@code lod/<fs>-MDTxxxx-mdtlov/target_obd} and {@code mdt_obd}: proc up to 2.17.0, debugfs
         * from 2.17 (LU-11850).
         */
        TARGET_OBD(PROC, DEBUGFS),
        /** {@code lod/<name>/{kbytes*,files*,numobd,activeobd}}: proc in 2.10, sysfs from 2.12. */
        LOD_ATTR(SYSFS, PROC),
        /** {@code osp/<name>/{active,kbytes*,files*,ost_conn_uuid}}: proc in 2.10, sysfs from 2.12. */
        OSP_ATTR(SYSFS, PROC),
        /** {@code osp/<name>/{import,state,ost_server_uuid,mdt_server_uuid}}: proc in 2.10, debugfs from 2.12. */
        OSP_IMPORT(DEBUGFS, PROC),
        /**
         * {@code osd-*}{@code /<fs>-MDTxxxx/{kbytes*,files*}}, an MDT's own space: proc in 2.12,
         * sysfs from 2.13 (LU-8066 {@code dt_tunables_init}).
         */
        OSD_ATTR(SYSFS, PROC),
        /** {@code obdfilter/<fs>-OSTxxxx/{kbytes*,files*,uuid}} on an OSS: sysfs from 2.12, proc in 2.10. */
        OBDFILTER_ATTR(SYSFS, PROC),
        /** {@code mdt/} and {@code obdfilter/}{@code <target>/recovery_status}: proc up to 2.16, debugfs in 2.17. */
        RECOVERY_STATUS(PROC, DEBUGFS),
        /** {@code mdt/} and {@code obdfilter/}{@code <target>/num_exports}: proc in 2.12, sysfs from 2.14. */
        NUM_EXPORTS(SYSFS, PROC),
        /** {@code mgs/MGS/filesystems}: proc in 2.10, debugfs from 2.11. */
        MGS_FILESYSTEMS(DEBUGFS, PROC);

        private final List<String> roots;

        Item(String... roots) {
            this.roots = List.of(roots);
        }
    }

    private final LustreTree tree;
    /** Per item (by ordinal): index into {@code Item.roots} of the root that answered last. */
    private final AtomicIntegerArray where = new AtomicIntegerArray(Item.values().length);
    /** Listings already warned about (a few per root). */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** Directory listings that failed with an I/O error, since start (discovery keeps what it knew). */
    private final java.util.concurrent.atomic.AtomicLong listFailures = new java.util.concurrent.atomic.AtomicLong();

    /** tree::read, made once (a lambda per read would be an allocation per file). */
    private final Reader<String> textReader;

    LustreLayout(LustreTree tree) {
        this.tree = tree;
        this.textReader = tree::read;
    }

    /** True when any of the three Lustre roots exists (Lustre modules loaded on this node). */
    boolean present() {
        for (String root : ALL_ROOTS) {
            if (tree.exists(root)) {
                return true;
            }
        }
        return false;
    }

    /** The root the item was last found under (the first candidate before any read). */
    String location(Item item) {
        return item.roots.get(where.get(item.ordinal()));
    }

    /**
     * Reads {@code rel} (relative to the item's root, e.g. {@code osp/x-OST0000-osc-MDT0000/import})
     * where the item was last found, else at the other candidates; null when none has it.
     *
     * @throws IOException when the file exists but no candidate root could read it (debugfs
     *         without root, ENOTCONN from a deactivated OSP, EIO): the caller keeps what it knew
     */
    String read(Item item, String rel) throws IOException {
        return find(item, rel, textReader);
    }

    /** Parses one file's text; {@code path} names the file in the exception. */
    interface Parser<T> {
        /** The text as read. */
        Parser<String> TEXT = (path, text) -> text;

        T parse(String path, String text) throws LustreParseException;
    }

    /**
     * {@code rel} read and parsed: {@code absent} when no root has it, {@code previous} when it
     * cannot be read or does not parse (counted in {@code errs}).
     */
    <T> T parse(Item item, String rel, Parser<T> parser, T absent, T previous, TreeErrors.Tally errs) {
        try {
            String text = read(item, rel);
            return text == null ? absent : parser.parse(pathOf(item, rel), text);
        } catch (IOException e) {
            errs.read(item, pathOf(item, rel), e);
        } catch (LustreParseException e) {
            errs.parse(e.getMessage());
        }
        return previous;
    }

    /**
     * As {@link #read}, through {@link LustreTree#readIfChanged}: {@code previous} itself when the
     * file found holds exactly those bytes, its new bytes otherwise, null when no root has it.
     */
    byte[] readIfChanged(Item item, String rel, byte[] previous) throws IOException {
        return find(item, rel, path -> tree.readIfChanged(path, previous));
    }

    /** One read of a file under a root; null when absent there. */
    private interface Reader<T> {
        T read(String path) throws IOException;
    }

    private <T> T find(Item item, String rel, Reader<T> reader) throws IOException {
        int cached = where.get(item.ordinal());
        IOException failed = null;
        // The root that answered last, then the others in their order.
        for (int k = -1; k < item.roots.size(); k++) {
            int i = k < 0 ? cached : k;
            if (k == cached) {
                continue;
            }
            try {
                T found = reader.read(item.roots.get(i) + "/" + rel);
                if (found != null) {
                    if (i != cached && failed == null && where.compareAndSet(item.ordinal(), cached, i)) {
                        LOG.debug("{} now read under {}", item, item.roots.get(i));
                    }
                    return found;
                }
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return null;
    }

    /** A file outside the Lustre roots ({@code proc/uptime}), relative to lustre-root; null when absent. */
    String readRoot(String path) throws IOException {
        return tree.read(path);
    }

    /** Full path (relative to lustre-root) where {@link #read} would look first; for messages. */
    String pathOf(Item item, String rel) {
        return location(item) + "/" + rel;
    }

    /** Sorted union of the entries of {@code dir} under all three roots (e.g. {@code lod}). */
    List<String> listAll(String dir) {
        Set<String> names = new TreeSet<>();
        for (String root : ALL_ROOTS) {
            names.addAll(listUnder(root, dir));
        }
        return List.copyOf(names);
    }

    /**
     * The entries of {@code dir} under the first of the item's roots that has any, else under
     * debugfs: for a directory that holds one entry per OST ({@code osp}), listed whole once
     * instead of once per root.
     */
    List<String> listFirst(Item item, String dir) {
        for (String root : item.roots) {
            List<String> names = listUnder(root, dir);
            if (!names.isEmpty()) {
                return names;
            }
        }
        return listUnder(DEBUGFS, dir);
    }

    /** The {@code osd-*} directories (osd-ldiskfs, osd-zfs, ...) under any root, sorted. */
    List<String> osdTypes() {
        Set<String> names = new TreeSet<>();
        for (String root : ALL_ROOTS) {
            for (String n : listUnder(root, "")) {
                if (n.startsWith("osd-")) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }

    /** Listings that failed so far: a caller compares it before and after its own listings. */
    long listFailures() {
        return listFailures.get();
    }

    private List<String> listUnder(String root, String dir) {
        String path = dir.isEmpty() ? root : root + "/" + dir;
        try {
            return tree.list(path);
        } catch (IOException e) {
            listFailures.incrementAndGet();
            if (warned.add(path)) {
                LOG.warn("cannot list Lustre {} ({}); treated as empty", path, e.toString());
            }
            return List.of();
        }
    }
}
