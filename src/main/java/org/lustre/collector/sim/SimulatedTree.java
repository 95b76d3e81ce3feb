package org.lustre.collector.sim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.lustre.collector.trap.Category;

/**
 * A simulated MDS: the Lustre files of F file systems with N OSTs in all, written in the real
 * formats and at the real places of one Lustre version ({@code 2.10}, {@code 2.15} or
 * {@code 2.17}, see {@link Layout}), plus a trap file ({@code traps.log}) and a /dev/kmsg record
 * file ({@code kmsg}) beside them, so the collector runs over it with {@code lustre-root} = the
 * directory.
 *
 * <p>The tree itself is the state: every mutation reads the few files it changes and writes them
 * back, so a tree created by one process can be changed by the next ({@link #open(Path)}). Names,
 * NIDs and networks are derived from the file-system and OST index, never stored.
 *
 * <p>File content is replaced atomically (temporary file in the same directory, then rename), so
 * a concurrent reader sees the old or the new content, never half of it. The temporary files are
 * named {@code .<name>.sim-tmp}. Appends to {@code traps.log} and {@code kmsg} write whole lines.
 *
 * <p>Thread safety: all methods are synchronized; any thread may call them. Two processes must
 * not mutate the same tree at the same time (kmsg sequence numbers would repeat).
 */
public final class SimulatedTree {

    /** Layout names accepted by {@link #create}. */
    public static final List<String> LAYOUTS = List.of("2.10", "2.12", "2.15", "2.17");
    /** The layout used when none is given. */
    public static final String DEFAULT_LAYOUT = "2.15";
    /** Name of the trap file inside the tree directory. */
    public static final String TRAP_FILE = "traps.log";
    /** Name of the kmsg record file inside the tree directory. */
    public static final String KMSG_FILE = "kmsg";

    static final String FULL = "FULL";
    static final String DISCONN = "DISCONN";
    static final String CONNECTING = "CONNECTING";
    /** IMP_STATE_HIST_LEN in lustre_import.h: the state file shows at most 16 entries. */
    static final int STATE_HISTORY = 16;
    /** Size of every simulated OST in KiB: the one of lustrefs-OST0001 in hpe-2.10.1. */
    static final long OST_KBYTES = 47_168_408_576L;
    static final long OST_FILES = 1_474_012_704L;
    /** kbytesfree - kbytesavail of lustrefs-OST0001 in hpe-2.10.1. */
    static final long RESERVED_KBYTES = 40_960L;
    static final int OSTS_PER_OSS = 2;
    static final int MAX_NETWORKS = 4;
    private static final String TMP_SUFFIX = ".sim-tmp";
    /** Size of the blocks real captures pad sysfs files to with NULs. */
    static final int PAD_TO = 4096;

    /**
     * How a tree departs from one MDS with one MDT per file system, as real trees do.
     *
     * @param mdts       MDTs per file system (DNE): each has its own OSP device for every OST
     *                   ({@code -osc-MDTyyyy}) and for every other MDT ({@code -osp-MDTyyyy}); the
     *                   mutations change the OSPs of MDT0000, as when one MDT loses an OST
     * @param nulPadding sysfs files padded with NULs to 4096 bytes, as in the LLNL 2.15 captures
     */
    public record Shape(int mdts, boolean nulPadding) {
        /** One MDT per file system, no padding. */
        public static final Shape PLAIN = new Shape(1, false);
        /** The demo's: two MDTs per file system (DNE), padded sysfs files. */
        public static final Shape DEMO = new Shape(2, true);

        public Shape {
            if (mdts < 1 || mdts > 16) {
                throw new IllegalArgumentException("MDTs per file system must be 1-16, not " + mdts);
            }
        }
    }
    /** The real 2.10.1 MDS->OST connect flags (hpe-2.10.1 import). */
    private static final String CONNECT_FLAGS = "[ lov_index, connect_from_mds, version, request_portal,"
            + " adaptive_timeouts, lru_resize, fid_is_enabled, skip_orphan, full20, lvb_type, lfsck, bulk_mbits ]";

    private final Path root;
    private final Layout layout;
    private final List<String> fileSystems;
    private final int[] ostCounts;
    private final LongSupplier clock;
    private final Shape shape;
    private final long bootMillis;
    private long nextKmsgSeq;
    private long lastKmsgUsec;
    private long trapCounter;
    private long filesWritten;

    private SimulatedTree(Path root, Layout layout, List<String> fileSystems, int[] ostCounts, LongSupplier clock,
            Shape shape, long bootMillis, long nextKmsgSeq, long lastKmsgUsec) {
        this.root = root;
        this.shape = shape;
        this.layout = layout;
        this.fileSystems = List.copyOf(fileSystems);
        this.ostCounts = ostCounts.clone();
        this.clock = clock;
        this.bootMillis = bootMillis;
        this.nextKmsgSeq = nextKmsgSeq;
        this.lastKmsgUsec = lastKmsgUsec;
    }

    // ------------------------------------------------------------------ creation and opening

    /** {@link #create(Path, int, int, String, LongSupplier)} with the system clock. */
    public static SimulatedTree create(Path root, int fileSystems, int totalOsts, String layout) throws IOException {
        return create(root, fileSystems, totalOsts, layout, System::currentTimeMillis);
    }

    /**
     * Writes a new tree under {@code root} (created when missing; must be empty). File systems are
     * named {@code testfs} when there is one, else {@code fs00}, {@code fs01}, ...; the OSTs are
     * spread evenly (the first file systems get one more when it does not divide).
     *
     * @param clockMillis wall clock in milliseconds, used for every time written
     * @throws IllegalArgumentException for counts out of range (1-256 file systems, at least one
     *         OST each, at most 65,536 per file system), an unknown layout or a non-empty root
     */
    public static SimulatedTree create(Path root, int fileSystems, int totalOsts, String layout,
            LongSupplier clockMillis) throws IOException {
        return create(root, fileSystems, totalOsts, layout, clockMillis, Shape.PLAIN);
    }

    /** As {@link #create(Path, int, int, String, LongSupplier)}, with DNE and NUL padding as {@code shape} says. */
    public static SimulatedTree create(Path root, int fileSystems, int totalOsts, String layout,
            LongSupplier clockMillis, Shape shape) throws IOException {
        Layout l = Layout.parse(layout == null ? DEFAULT_LAYOUT : layout);
        if (fileSystems < 1 || fileSystems > 256) {
            throw new IllegalArgumentException("file systems must be 1-256, not " + fileSystems);
        }
        if (totalOsts < fileSystems) {
            throw new IllegalArgumentException("need at least one OST per file system: " + totalOsts + " OSTs for "
                    + fileSystems + " file systems");
        }
        int[] counts = new int[fileSystems];
        for (int f = 0; f < fileSystems; f++) {
            counts[f] = totalOsts / fileSystems + (f < totalOsts % fileSystems ? 1 : 0);
        }
        if (counts[0] > 0x10000) {
            throw new IllegalArgumentException("at most 65536 OSTs per file system (4 hex digits), not " + counts[0]);
        }
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                if (ds.iterator().hasNext()) {
                    throw new IllegalArgumentException("directory is not empty: " + root);
                }
            }
        }
        List<String> names = new ArrayList<>();
        int width = Math.max(2, String.valueOf(fileSystems - 1).length());
        for (int f = 0; f < fileSystems; f++) {
            names.add(fileSystems == 1 ? "testfs" : String.format(Locale.ROOT, "fs%0" + width + "d", f));
        }
        long now = clockMillis.getAsLong();
        // Up for three days and a bit: kmsg times are microseconds since boot.
        long uptimeMillis = 3L * 86_400_000L + 4_242_170L;
        SimulatedTree tree = new SimulatedTree(root, l, names, counts, clockMillis, shape, now - uptimeMillis, 1, 0);
        tree.writeAll(now);
        return tree;
    }

    /** {@link #open(Path, LongSupplier)} with the system clock. */
    public static SimulatedTree open(Path root) throws IOException {
        return open(root, System::currentTimeMillis);
    }

    /**
     * Opens a tree written earlier by {@link #create}: the layout, file systems and OST counts are
     * read back from the tree, the next kmsg sequence number from the end of the kmsg file.
     *
     * @throws IllegalArgumentException when {@code root} holds no simulated tree
     */
    public static SimulatedTree open(Path root, LongSupplier clockMillis) throws IOException {
        Layout l = detectLayout(root);
        if (l == null) {
            throw new IllegalArgumentException("no simulated Lustre tree in " + root);
        }
        Path lodDir = root.resolve(l.lodTargetObdDir("x")).getParent();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(lodDir, "*-MDT0000-mdtlov")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                names.add(n.substring(0, n.length() - "-MDT0000-mdtlov".length()));
            }
        }
        Collections.sort(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no file systems in " + lodDir);
        }
        int[] counts = new int[names.size()];
        for (int f = 0; f < counts.length; f++) {
            String obd = Files.readString(root.resolve(l.lodTargetObdDir(lodName(names.get(f))) + "/target_obd"));
            counts[f] = (int) obd.lines().filter(s -> !s.isBlank()).count();
        }
        // proc/uptime is rewritten with every kmsg record: its mtime minus its value is the boot time.
        Path uptime = root.resolve("proc/uptime");
        String up = Files.readString(uptime).trim();
        double upSeconds = Double.parseDouble(up.substring(0, up.indexOf(' ')));
        long boot = Files.getLastModifiedTime(uptime).toMillis() - Math.round(upSeconds * 1000);
        long[] last = lastKmsgRecord(root.resolve(KMSG_FILE));
        return new SimulatedTree(root, l, names, counts, clockMillis, readShape(root, l, names.get(0)), boot,
                last[0] + 1, last[1]);
    }

    /** True when {@code root} holds a tree {@link #open} can read. */
    public static boolean exists(Path root) {
        return detectLayout(root) != null;
    }

    /** The shape of an existing tree: its MDT count and whether its sysfs files are padded. */
    private static Shape readShape(Path root, Layout l, String fs) throws IOException {
        int mdts = 0;
        Path mdtDir = root.resolve(l.mdtAttrDir(fs + "-MDT0000")).getParent();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(mdtDir, fs + "-MDT*")) {
            for (Path ignored : ds) {
                mdts++;
            }
        }
        byte[] health = Files.readAllBytes(root.resolve(l.healthCheckFile()));
        return new Shape(Math.max(1, mdts), health.length == PAD_TO && health[PAD_TO - 1] == 0);
    }

    private static Layout detectLayout(Path root) {
        if (Files.isDirectory(root.resolve(Layout.BOOKKEEPING + "lod"))) {
            return Layout.V2_12;
        }
        if (Files.isDirectory(root.resolve(Layout.DEBUG + "lod"))) {
            return Layout.V2_17;
        }
        if (Files.isDirectory(root.resolve(Layout.SYS + "osp"))) {
            return Layout.V2_15;
        }
        if (Files.isDirectory(root.resolve(Layout.PROC + "osp"))) {
            return Layout.V2_10;
        }
        return null;
    }

    /** {seq, usec} of the last record of a kmsg file, {0, 0} when there is none. */
    private static long[] lastKmsgRecord(Path kmsg) throws IOException {
        if (!Files.exists(kmsg)) {
            return new long[] {0, 0};
        }
        String tail;
        try (RandomAccessFile f = new RandomAccessFile(kmsg.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, 65_536);
            byte[] b = new byte[n];
            f.seek(len - n);
            f.readFully(b);
            tail = new String(b, StandardCharsets.UTF_8);
        }
        String[] lines = tail.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String[] h = lines[i].split("[,;]", 4);
            if (h.length == 4 && h[0].matches("\\d+") && h[1].matches("\\d+") && h[2].matches("\\d+")) {
                return new long[] {Long.parseLong(h[1]), Long.parseLong(h[2])};
            }
        }
        return new long[] {0, 0};
    }

    private void writeAll(long now) throws IOException {
        Files.createDirectories(root);
        long nowSec = now / 1000;
        StringBuilder fsList = new StringBuilder();
        for (int f = 0; f < fileSystems.size(); f++) {
            writeFileSystem(f, nowSec);
            fsList.append(fileSystems.get(f)).append('\n');
        }
        write(layout.mgsFilesystemsFile(), fsList.toString());
        write(layout.healthCheckFile(), "healthy\n");
        write(layout.versionFile(), layout.version() + "\n");
        write("proc/sys/kernel/random/boot_id", UUID.nameUUIDFromBytes(
                (root.toAbsolutePath() + "/" + bootMillis).getBytes(StandardCharsets.UTF_8)) + "\n");
        writeUptime(now);
        write(TRAP_FILE, "");
        write(KMSG_FILE, "");
        appendKmsgRecords(one(ConsoleText.INFO, ConsoleText.buildVersion(layout)),
                bootMillis + 12_345);
    }

    private void writeFileSystem(int f, long nowSec) throws IOException {
        String fs = fileSystems.get(f);
        int n = ostCounts[f];
        String lod = lodName(fs);
        StringBuilder obd = new StringBuilder(n * 32);
        StringBuilder live = new StringBuilder("fsname: " + fs + "\nflags: 0x20     gen: " + (n + 21) + "\n"
                + fs + "-MDT0000\n");
        long kTotal = 0;
        long kFree = 0;
        long kAvail = 0;
        long fTotal = 0;
        long fFree = 0;
        String history = historyLine(nowSec, CONNECTING) + historyLine(nowSec, FULL);
        for (int i = 0; i < n; i++) {
            String target = targetName(fs, i);
            String osp = ospName(fs, i);
            String attr = layout.ospAttrDir(osp);
            String imp = layout.ospImportDir(osp);
            Files.createDirectories(root.resolve(attr));
            if (!imp.equals(attr)) {
                Files.createDirectories(root.resolve(imp));
            }
            int usedPct = 10 + (int) ((f * 7_919L + i * 104_729L) % 60);
            long free = OST_KBYTES - OST_KBYTES / 100 * usedPct;
            long avail = Math.max(0, free - RESERVED_KBYTES);
            long filesFree = OST_FILES - 256 - usedPct * 1_000_000L;
            String nid = nid(f, i);
            write(attr + "/active", "1\n");
            write(attr + "/kbytestotal", OST_KBYTES + "\n");
            write(attr + "/kbytesfree", free + "\n");
            write(attr + "/kbytesavail", avail + "\n");
            write(attr + "/filestotal", OST_FILES + "\n");
            write(attr + "/filesfree", filesFree + "\n");
            write(attr + "/uuid", lod + "_UUID\n");
            write(attr + "/prealloc_status", "0\n");
            write(attr + "/ost_conn_uuid", nid + "\n");
            write(imp + "/import", importText(f, i, FULL, nowSec));
            write(imp + "/state", "current_state: " + FULL + "\nstate_history:\n" + history);
            write(imp + "/ost_server_uuid", target + "_UUID\t" + FULL + "\n");
            obd.append(i).append(": ").append(target).append("_UUID ACTIVE\n");
            live.append(target).append('\n');
            kTotal += OST_KBYTES;
            kFree += free;
            kAvail += avail;
            fTotal += OST_FILES;
            fFree += filesFree;
        }
        String obdDir = layout.lodTargetObdDir(lod);
        String lodAttr = layout.lodAttrDir(lod);
        Files.createDirectories(root.resolve(obdDir));
        Files.createDirectories(root.resolve(lodAttr));
        write(obdDir + "/target_obd", obd.toString());
        write(lodAttr + "/numobd", n + "\n");
        write(lodAttr + "/activeobd", n + "\n");
        write(lodAttr + "/kbytestotal", kTotal + "\n");
        write(lodAttr + "/kbytesfree", kFree + "\n");
        write(lodAttr + "/kbytesavail", kAvail + "\n");
        write(lodAttr + "/filestotal", fTotal + "\n");
        write(lodAttr + "/filesfree", fFree + "\n");
        write(lodAttr + "/uuid", lod + "_UUID\n");
        if (layout == Layout.V2_10) {
            // 2.10 keeps lov as a symlink to lod (hpe-2.10.1); optional for readers.
            Path lov = root.resolve(Layout.PROC + "lov/" + lod);
            Files.createDirectories(lov.getParent());
            Files.createSymbolicLink(lov, Path.of("../lod/" + lod));
        }
        writeOtherMdts(f, history);
        String mdt = fs + "-MDT0000";
        if (layout.mdtOsdDir(mdt) != null) {
            writeMdtSpace(mdt);
        }
        Files.createDirectories(root.resolve(layout.mdtAttrDir(mdt)));
        Files.createDirectories(root.resolve(layout.mdtRecoveryDir(mdt)));
        write(layout.mdtAttrDir(mdt) + "/uuid", mdt + "_UUID\n");
        write(layout.mdtAttrDir(mdt) + "/num_exports", (n + 3) + "\n");
        write(layout.mdtRecoveryDir(mdt) + "/recovery_status", "status: COMPLETE\n");
        live.append("\nSecure RPC Config Rules:\n\nimperative_recovery_state:\n    state: full\n    nonir_clients: 0\n"
                + "    nidtbl_version: " + (n + 17) + "\n    notify_duration_total: 0.006756186\n"
                + "    notify_duation_max: 0.000853740\n    notify_count: " + n * 2 + "\n");
        write(layout.mgsLiveFile(fs), live.toString());
    }

    /**
     * DNE: MDT0001.. of a file system, each with its own OSP device per OST (FULL, same figures)
     * and per other MDT, and MDT0000's OSPs to them.
     */
    private void writeOtherMdts(int f, String history) throws IOException {
        String fs = fileSystems.get(f);
        for (int m = 1; m < shape.mdts(); m++) {
            String mdt = String.format(Locale.ROOT, "%s-MDT%04x", fs, m);
            String owner = String.format(Locale.ROOT, "MDT%04x", m);
            write(layout.mdtAttrDir(mdt) + "/uuid", mdt + "_UUID\n");
            write(layout.mdtAttrDir(mdt) + "/num_exports", "3\n");
            write(layout.mdtRecoveryDir(mdt) + "/recovery_status", "status: COMPLETE\n");
            if (layout.mdtOsdDir(mdt) != null) {
                writeMdtSpace(mdt);
            }
            for (int i = 0; i < ostCounts[f]; i++) {
                String osp = targetName(fs, i) + "-osc-" + owner;
                String attr = layout.ospAttrDir(osp);
                String mdt0 = layout.ospAttrDir(ospName(fs, i));
                for (String a : new String[] {"kbytestotal", "kbytesfree", "kbytesavail", "filestotal", "filesfree"}) {
                    write(attr + "/" + a, read(mdt0 + "/" + a));
                }
                write(attr + "/ost_conn_uuid", nid(f, i) + "\n");
                write(layout.ospImportDir(osp) + "/ost_server_uuid", serverUuidLine(fs, i, FULL, true));
            }
            for (int other = 0; other < shape.mdts(); other++) {
                if (other == m) {
                    continue;
                }
                String target = String.format(Locale.ROOT, "%s-MDT%04x", fs, other);
                for (String osp : new String[] {target + "-osp-" + owner,
                    mdt + "-osp-" + String.format(Locale.ROOT, "MDT%04x", other)}) {
                    String t = osp.substring(0, osp.indexOf("-osp-"));
                    write(layout.ospAttrDir(osp) + "/kbytestotal", 1_000_000_000L + "\n");
                    write(layout.ospAttrDir(osp) + "/kbytesfree", 900_000_000L + "\n");
                    write(layout.ospImportDir(osp) + "/mdt_server_uuid", t + "_UUID\t" + FULL + "\n");
                    write(layout.ospImportDir(osp) + "/state", "current_state: " + FULL + "\nstate_history:\n" + history);
                }
            }
        }
    }

    /** An MDT's own space, in its OSD (osd-zfs under proc in 2.12): the LLNL MDT0000 figures. */
    private void writeMdtSpace(String mdt) throws IOException {
        String osd = layout.mdtOsdDir(mdt);
        write(osd + "/kbytestotal", "3096018432\n");
        write(osd + "/kbytesfree", "2935558272\n");
        write(osd + "/filestotal", "2935603830\n");
        write(osd + "/filesfree", "2803016098\n");
    }

    // ------------------------------------------------------------------ names, NIDs, networks

    /** Root directory of the tree (the collector's lustre-root). */
    public Path root() {
        return root;
    }

    /** "2.10", "2.15" or "2.17". */
    public String layout() {
        return layout.label();
    }

    Layout layoutKind() {
        return layout;
    }

    /** The tree's clock, in milliseconds. */
    long nowMillis() {
        return clock.getAsLong();
    }

    /** File-system names, sorted. */
    public List<String> fileSystems() {
        return fileSystems;
    }

    /** Number of OSTs of a file system. */
    public synchronized int ostCount(String fs) {
        return ostCounts[fsIndex(fs)];
    }

    /** Total number of OSTs. */
    public int totalOsts() {
        int t = 0;
        for (int c : ostCounts) {
            t += c;
        }
        return t;
    }

    /** Files written so far by this instance (create counts every file of the tree). */
    public synchronized long filesWritten() {
        return filesWritten;
    }

    public Path trapFile() {
        return root.resolve(TRAP_FILE);
    }

    public Path kmsgFile() {
        return root.resolve(KMSG_FILE);
    }

    /** {@code fs00-OST000a}: the target name Lustre prints, index in lower-case hex. */
    public static String targetName(String fs, int index) {
        return String.format(Locale.ROOT, "%s-OST%04x", fs, index);
    }

    /** {@code fs00-OST000a-osc-MDT0000}: the MDS's osp device for that OST. */
    public static String ospName(String fs, int index) {
        return targetName(fs, index) + "-osc-MDT0000";
    }

    static String lodName(String fs) {
        return fs + "-MDT0000-mdtlov";
    }

    /** LNet networks behind which the OSTs of a file system sit: o2ib1 .. o2ib4. */
    public List<String> networks(String fs) {
        int nets = networkCount(ostCounts[fsIndex(fs)]);
        List<String> out = new ArrayList<>(nets);
        for (int k = 1; k <= nets; k++) {
            out.add("o2ib" + k);
        }
        return out;
    }

    /** Network of an OST, for example {@code o2ib2}. */
    public String network(String fs, int index) {
        int f = fsIndex(fs);
        checkIndex(f, index);
        return "o2ib" + networkNumber(f, index);
    }

    /** Current NID of an OST's server, for example {@code 10.0.0.2@o2ib1}. */
    public String nid(String fs, int index) {
        int f = fsIndex(fs);
        checkIndex(f, index);
        return nid(f, index);
    }

    // Two OSTs per OSS, OSSes in failover pairs; pairs spread over up to four networks, so that a
    // router failure on one network takes out a recognisable quarter of the file system.
    private static int networkCount(int osts) {
        int oss = (osts + OSTS_PER_OSS - 1) / OSTS_PER_OSS;
        int pairs = (oss + 1) / 2;
        return Math.max(1, Math.min(MAX_NETWORKS, pairs));
    }

    private int networkNumber(int f, int i) {
        int pair = i / OSTS_PER_OSS / 2;
        return 1 + pair % networkCount(ostCounts[f]);
    }

    private String ossNid(int f, int oss, int net) {
        return "10." + f + "." + oss / 250 + "." + (1 + oss % 250) + "@o2ib" + net;
    }

    private String nid(int f, int i) {
        return ossNid(f, i / OSTS_PER_OSS, networkNumber(f, i));
    }

    /** The OSS's own NID first, then its failover partner's (same pair, same network). */
    private List<String> failoverNids(int f, int i) {
        int oss = i / OSTS_PER_OSS;
        int partner = oss ^ 1;
        int ossCount = (ostCounts[f] + OSTS_PER_OSS - 1) / OSTS_PER_OSS;
        int net = networkNumber(f, i);
        return partner < ossCount ? List.of(ossNid(f, oss, net), ossNid(f, partner, net)) : List.of(ossNid(f, oss, net));
    }

    private int fsIndex(String fs) {
        int f = fileSystems.indexOf(fs);
        if (f < 0) {
            throw new IllegalArgumentException("unknown file system '" + fs + "' (have " + String.join(", ",
                    fileSystems.size() > 5 ? fileSystems.subList(0, 5) : fileSystems)
                    + (fileSystems.size() > 5 ? ", ..." : "") + ")");
        }
        return f;
    }

    private void checkIndex(int f, int index) {
        if (index < 0 || index >= ostCounts[f]) {
            throw new IllegalArgumentException("OST index " + index + " out of range for " + fileSystems.get(f)
                    + " (0-" + (ostCounts[f] - 1) + ")");
        }
    }

    // ------------------------------------------------------------------ file formats

    static String historyLine(long sec, String state) {
        return " - [ " + sec + ", " + state + " ]\n";
    }

    /** The osp import file: the 2.10 block (hpe-2.10.1), quoted with nids_stats and idle from 2.16 on. */
    private String importText(int f, int i, String state, long nowSec) {
        String fs = fileSystems.get(f);
        List<String> nids = failoverNids(f, i);
        boolean q = layout.quotedImport();
        StringBuilder b = new StringBuilder(1024);
        b.append("import:\n    name: ").append(ospName(fs, i))
                .append("\n    target: ").append(targetName(fs, i)).append("_UUID")
                .append("\n    state: ").append(state)
                .append("\n    connect_flags: ").append(CONNECT_FLAGS)
                .append("\n    connect_data:\n       flags: 0x2040401443000066\n       instance: 3\n")
                .append("       target_version: ").append(layout.targetVersion()).append('\n')
                .append("       mdt_index: 0\n       target_index: ").append(i).append('\n')
                .append("    import_flags: [ replayable, pingable, connect_tried ]\n    connection:\n")
                .append("       failover_nids: [ ");
        for (int k = 0; k < nids.size(); k++) {
            b.append(k > 0 ? ", " : "").append(q ? "\"" + nids.get(k) + "\"" : nids.get(k));
        }
        b.append(" ]\n");
        if (q) {
            b.append("       nids_stats:");
            for (int k = 0; k < nids.size(); k++) {
                b.append("\n          \"").append(nids.get(k)).append("\": { connects: ").append(k == 0 ? 1 : 0)
                        .append(", replied: ").append(k == 0 ? 1 : 0).append(", uptodate: ")
                        .append(k == 0 ? "uptodate" : "unknown").append(", sec_ago: ").append(k == 0 ? "5 }" : "never }");
            }
            b.append('\n');
        }
        String current = nids.get(0);
        b.append("       current_connection: ").append(q ? "\"" + current + "\"" : current).append('\n')
                .append("       connection_attempts: ").append(FULL.equals(state) ? 1 : 2).append('\n')
                .append("       generation: 1\n       in-progress_invalidations: 0\n");
        if (q) {
            b.append("       idle: ").append(FULL.equals(state) ? 5 : 0).append(" sec\n");
        }
        b.append("    rpcs:\n       inflight: 0\n       unregistering: 0\n       timeouts: ")
                .append(FULL.equals(state) ? 0 : 1).append("\n       avg_waittime: 300 usec\n")
                .append("    service_estimates:\n       services: 1 sec\n       network: 1 sec\n")
                .append("    transactions:\n       last_replay: 0\n       peer_committed: 0\n       last_checked: 0\n");
        return b.toString();
    }

    // ------------------------------------------------------------------ mutations

    /**
     * The connection to an OST is lost: import and state go to DISCONN (a state_history line with
     * the current epoch), ost_server_uuid shows DISCONN, one "Connection to ... was lost" kmsg
     * record. target_obd keeps ACTIVE, as Lustre does for a lost connection.
     *
     * @return false when the OST was already disconnected (nothing written)
     */
    public synchronized boolean ostDown(String fs, int index) throws IOException {
        return ostDown(fs, index, true);
    }

    /**
     * As {@link #ostDown(String, int)}; without {@code kmsg} no console record is written, as when
     * the kernel log is off, unreadable or rate-limited: only the tree says it (the sweep's case).
     */
    public synchronized boolean ostDown(String fs, int index, boolean kmsg) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        long now = clock.getAsLong();
        if (!setImportState(f, index, DISCONN, now / 1000, DISCONN)) {
            return false;
        }
        if (!kmsg) {
            return true;
        }
        appendKmsgRecords(one(ConsoleText.WARN,
                ConsoleText.connectionLost(ospName(fs, index), targetName(fs, index), nid(f, index))), now);
        return true;
    }

    /**
     * The OST is reachable again: state_history gets CONNECTING and FULL, import and
     * ost_server_uuid FULL, one "Connection restored" kmsg record.
     *
     * @return false when the OST was already FULL
     */
    public synchronized boolean ostUp(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        long now = clock.getAsLong();
        if (!setImportState(f, index, FULL, now / 1000, CONNECTING, FULL)) {
            return false;
        }
        appendKmsgRecords(one(ConsoleText.INFO,
                ConsoleText.connectionRestored(layout, ospName(fs, index), targetName(fs, index), nid(f, index))),
                now);
        return true;
    }

    /** True when the OST's import is not FULL. */
    public synchronized boolean isDown(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        return !FULL.equals(currentState(read(layout.ospImportDir(ospName(fs, index)) + "/state")));
    }

    /** True when the OST is administratively active (osp active = 1). */
    public synchronized boolean isActive(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        return "1".equals(read(layout.ospAttrDir(ospName(fs, index)) + "/active").trim());
    }

    /**
     * Administrative deactivation ({@code lctl set_param osp.<name>.active=0}): active 0, the
     * target_obd line INACTIVE, activeobd one less, ost_server_uuid gets the DEACTIVATED column,
     * kmsg "setting import ... INACTIVE by administrator request". The import state is left as is.
     *
     * @return false when already inactive
     */
    public synchronized boolean deactivate(String fs, int index) throws IOException {
        return setActive(fs, index, false);
    }

    /** Reverses {@link #deactivate}; writes no kmsg record (Lustre logs this at debug level only). */
    public synchronized boolean activate(String fs, int index) throws IOException {
        return setActive(fs, index, true);
    }

    private boolean setActive(String fs, int index, boolean active) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        String osp = ospName(fs, index);
        String attr = layout.ospAttrDir(osp);
        boolean was = "1".equals(read(attr + "/active").trim());
        if (was == active) {
            return false;
        }
        replace(attr + "/active", active ? "1\n" : "0\n");
        String imp = layout.ospImportDir(osp);
        String state = currentState(read(imp + "/state"));
        replace(imp + "/ost_server_uuid", serverUuidLine(fs, index, state, active));
        String lod = lodName(fs);
        String obdFile = layout.lodTargetObdDir(lod) + "/target_obd";
        String[] lines = read(obdFile).split("\n", -1);
        lines[index] = index + ": " + targetName(fs, index) + "_UUID " + (active ? "ACTIVE" : "INACTIVE");
        String obd = String.join("\n", lines);
        replace(obdFile, obd);
        long activeCount = obd.lines().filter(s -> s.endsWith(" ACTIVE")).count();
        replace(layout.lodAttrDir(lod) + "/activeobd", activeCount + "\n");
        if (!active) {
            appendKmsgRecords(one(ConsoleText.WARN,
                    ConsoleText.importDeactivated(targetName(fs, index) + "_UUID")), clock.getAsLong());
        }
        return true;
    }

    /**
     * Sets how full an OST is: its kbytesfree and kbytesavail, the file system's totals in lod,
     * and prealloc_status -28 (ENOSPC) when nothing is available any more, else 0.
     */
    public synchronized void fill(String fs, int index, int percentUsed) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        if (percentUsed < 0 || percentUsed > 100) {
            throw new IllegalArgumentException("percent used must be 0-100, not " + percentUsed);
        }
        String attr = layout.ospAttrDir(ospName(fs, index));
        long total = Long.parseLong(read(attr + "/kbytestotal").trim());
        long oldFree = Long.parseLong(read(attr + "/kbytesfree").trim());
        long oldAvail = Long.parseLong(read(attr + "/kbytesavail").trim());
        long free = total - total / 100 * percentUsed;
        if (percentUsed == 100) {
            free = 0;
        }
        long avail = Math.max(0, free - RESERVED_KBYTES);
        replace(attr + "/kbytesfree", free + "\n");
        replace(attr + "/kbytesavail", avail + "\n");
        replace(attr + "/prealloc_status", avail == 0 ? "-28\n" : "0\n");
        String lodAttr = layout.lodAttrDir(lodName(fs));
        long lodFree = Long.parseLong(read(lodAttr + "/kbytesfree").trim());
        long lodAvail = Long.parseLong(read(lodAttr + "/kbytesavail").trim());
        replace(lodAttr + "/kbytesfree", (lodFree - oldFree + free) + "\n");
        replace(lodAttr + "/kbytesavail", (lodAvail - oldAvail + avail) + "\n");
    }

    /**
     * The OST's kbytesfree (sysfs) can no longer be read, as a live OSP's fails with ENOTCONN or
     * EIO: a directory takes the file's place (reading a directory fails, even for root), the
     * value is kept inside it for {@link #readable}.
     *
     * @return false when already unreadable
     */
    public synchronized boolean unreadable(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        Path file = root.resolve(layout.ospAttrDir(ospName(fs, index)) + "/kbytesfree");
        if (Files.isDirectory(file)) {
            return false;
        }
        byte[] value = Files.readAllBytes(file);
        Files.delete(file);
        Files.createDirectory(file);
        Files.write(file.resolve("value"), value);
        return true;
    }

    /** Reverses {@link #unreadable}. @return false when it was readable */
    public synchronized boolean readable(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        Path file = root.resolve(layout.ospAttrDir(ospName(fs, index)) + "/kbytesfree");
        if (!Files.isDirectory(file)) {
            return false;
        }
        byte[] value = Files.readAllBytes(file.resolve("value"));
        Files.delete(file.resolve("value"));
        Files.delete(file);
        Files.write(file, value);
        return true;
    }

    /** The tree's DNE and padding. */
    public Shape shape() {
        return shape;
    }

    /** Used space of an OST in whole percent, from its kbytestotal and kbytesfree. */
    public synchronized int percentUsed(String fs, int index) throws IOException {
        int f = fsIndex(fs);
        checkIndex(f, index);
        String attr = layout.ospAttrDir(ospName(fs, index));
        long total = Long.parseLong(read(attr + "/kbytestotal").trim());
        long free = Long.parseLong(read(attr + "/kbytesfree").trim());
        return (int) Math.round(100.0 * (total - free) / total);
    }

    /** Writes sys/fs/lustre/health_check: "healthy", "NOT HEALTHY", "LBUG" or any text. */
    public synchronized void health(String text) throws IOException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("health text is empty");
        }
        replace(layout.healthCheckFile(), text.strip() + "\n");
    }

    /**
     * A LNet router fails: every FULL OST of {@code fs} behind {@code network} goes DISCONN in the
     * same second, each with its own "Connection ... was lost" kmsg record (sequence numbers
     * increasing, timestamps within one second).
     *
     * @param network {@code o2ib2} or {@code 2}; null = the first network
     * @return the number of OSTs disconnected
     */
    public synchronized int routerFailure(String fs, String network) throws IOException {
        int f = fsIndex(fs);
        int net = parseNetwork(f, network);
        long now = clock.getAsLong();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < ostCounts[f]; i++) {
            if (networkNumber(f, i) == net && setImportState(f, i, DISCONN, now / 1000, DISCONN)) {
                records.add(new String[] {String.valueOf(ConsoleText.WARN),
                        ConsoleText.connectionLost(ospName(fs, i), targetName(fs, i), nid(f, i))});
            }
        }
        appendKmsgRecords(records, now);
        return records.size();
    }

    /** The router is back: every disconnected OST behind that network reconnects (see {@link #ostUp}). */
    public synchronized int routerRestore(String fs, String network) throws IOException {
        int f = fsIndex(fs);
        int net = parseNetwork(f, network);
        long now = clock.getAsLong();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < ostCounts[f]; i++) {
            if (networkNumber(f, i) == net && setImportState(f, i, FULL, now / 1000, CONNECTING, FULL)) {
                records.add(new String[] {String.valueOf(ConsoleText.INFO),
                        ConsoleText.connectionRestored(layout, ospName(fs, i), targetName(fs, i), nid(f, i))});
            }
        }
        appendKmsgRecords(records, now);
        return records.size();
    }

    private int parseNetwork(int f, String network) {
        int nets = networkCount(ostCounts[f]);
        if (network == null || network.isBlank()) {
            return 1;
        }
        String t = network.trim();
        if (t.startsWith("o2ib")) {
            t = t.substring(4);
        }
        int k;
        try {
            k = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            k = -1;
        }
        if (k < 1 || k > nets) {
            throw new IllegalArgumentException("unknown network '" + network + "' for " + fileSystems.get(f)
                    + " (have o2ib1-o2ib" + nets + ")");
        }
        return k;
    }

    /**
     * Appends one trap line to traps.log in the TAB format of DESIGN.md:
     * {@code id time category fs node message}. TABs and line breaks in the fields become spaces.
     */
    public synchronized void appendTrap(Category category, String fs, String node, String message) throws IOException {
        long now = clock.getAsLong();
        String id = "sim-" + now + "-" + (++trapCounter);
        String time = (now / 1000) + "." + String.format(Locale.ROOT, "%03d", now % 1000);
        String line = id + '\t' + time + '\t' + category.label() + '\t' + clean(fs) + '\t' + clean(node) + '\t'
                + clean(message) + '\n';
        Files.writeString(trapFile(), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * Appends one /dev/kmsg record ({@code prio,seq,usec,-;message}). The priority follows the
     * libcfs mapping: 3 for LustreError, 0 for LBUG/ASSERTION, 6 for restored/recovery lines, else 4.
     */
    public synchronized void appendKmsg(String message) throws IOException {
        appendKmsg(defaultPriority(message), message);
    }

    /** Appends one /dev/kmsg record with the given priority (0-7). */
    public synchronized void appendKmsg(int priority, String message) throws IOException {
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("kmsg priority must be 0-7, not " + priority);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("kmsg message is empty");
        }
        appendKmsgRecords(one(priority, message), clock.getAsLong());
    }

    static int defaultPriority(String message) {
        if (message.contains("LBUG") || message.contains("ASSERTION(")) {
            return 0;
        }
        if (message.startsWith("LustreError") || message.startsWith("LNetError")) {
            return ConsoleText.ERR;
        }
        if (message.contains("Connection restored") || message.contains("Recovery over")) {
            return ConsoleText.INFO;
        }
        return ConsoleText.WARN;
    }

    /** Next kmsg sequence number that will be written. */
    public synchronized long nextKmsgSeq() {
        return nextKmsgSeq;
    }

    /** Rewrites proc/uptime for the current time (the kmsg source maps record times through it). */
    public synchronized void touchUptime() throws IOException {
        writeUptime(clock.getAsLong());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Moves an OST's import to {@code state}, appending {@code history} entries to the state file.
     * Returns false (writing nothing) when the import already is in that state.
     */
    private boolean setImportState(int f, int i, String state, long sec, String... history) throws IOException {
        String fs = fileSystems.get(f);
        String osp = ospName(fs, i);
        String imp = layout.ospImportDir(osp);
        String old = read(imp + "/state");
        if (state.equals(currentState(old))) {
            return false;
        }
        List<String> lines = new ArrayList<>();
        for (String l : old.split("\n")) {
            if (l.startsWith(" - [")) {
                lines.add(l + "\n");
            }
        }
        for (String h : history) {
            lines.add(historyLine(sec, h));
        }
        StringBuilder b = new StringBuilder("current_state: ").append(state).append("\nstate_history:\n");
        for (String l : lines.subList(Math.max(0, lines.size() - STATE_HISTORY), lines.size())) {
            b.append(l);
        }
        boolean active = "1".equals(read(layout.ospAttrDir(osp) + "/active").trim());
        replace(imp + "/import", importText(f, i, state, sec));
        replace(imp + "/state", b.toString());
        replace(imp + "/ost_server_uuid", serverUuidLine(fs, i, state, active));
        return true;
    }

    /** {@code <uuid>\t<STATE>[\tDEACTIVATED]} (lprocfs_server_uuid_seq_show). */
    private static String serverUuidLine(String fs, int i, String state, boolean active) {
        return targetName(fs, i) + "_UUID\t" + state + (active ? "" : "\tDEACTIVATED") + "\n";
    }

    static String currentState(String stateFile) {
        int a = stateFile.indexOf("current_state: ");
        if (a < 0) {
            return "";
        }
        int e = stateFile.indexOf('\n', a);
        return stateFile.substring(a + "current_state: ".length(), e < 0 ? stateFile.length() : e).trim();
    }

    private static List<String[]> one(int priority, String message) {
        return Collections.singletonList(new String[] {String.valueOf(priority), message});
    }

    /** Writes records with increasing sequence numbers, spread over at most one second. */
    private void appendKmsgRecords(List<String[]> records, long now) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        long base = Math.max(lastKmsgUsec + 1, (now - bootMillis) * 1000);
        long step = Math.max(1, 999_000 / records.size());
        StringBuilder b = new StringBuilder(records.size() * 160);
        for (int k = 0; k < records.size(); k++) {
            long usec = base + k * step;
            b.append(records.get(k)[0]).append(',').append(nextKmsgSeq++).append(',').append(usec).append(",-;")
                    .append(records.get(k)[1].replace('\n', ' ')).append('\n');
            lastKmsgUsec = usec;
        }
        Files.writeString(kmsgFile(), b, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        writeUptime(clock.getAsLong());
    }

    private void writeUptime(long now) throws IOException {
        long up = Math.max(0, now - bootMillis);
        long idle = up * 19 / 10; // two CPUs, mostly idle
        replace("proc/uptime", String.format(Locale.ROOT, "%d.%02d %d.%02d\n", up / 1000, up % 1000 / 10,
                idle / 1000, idle % 1000 / 10));
    }

    private String read(String rel) throws IOException {
        try {
            String s = Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == 0) {
                end--;
            }
            return s.substring(0, end);
        } catch (NoSuchFileException e) {
            throw new IOException("simulated tree is missing " + rel + " (was it created by another layout?)", e);
        }
    }

    /** The bytes a file is written with: NUL-padded to {@link #PAD_TO} for sysfs when the shape says so. */
    private byte[] bytes(String rel, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return shape.nulPadding() && rel.startsWith(Layout.SYS) && b.length < PAD_TO ? java.util.Arrays.copyOf(b, PAD_TO) : b;
    }

    /** Plain write, for creation (nobody reads the tree yet). */
    private void write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        try {
            Files.write(p, bytes(rel, content));
        } catch (NoSuchFileException e) {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes(rel, content));
        }
        filesWritten++;
    }

    /** Atomic replace: readers see the old or the new content, never a torn one. */
    private void replace(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Path tmp = p.resolveSibling("." + p.getFileName() + TMP_SUFFIX);
        Files.createDirectories(p.getParent());
        Files.write(tmp, bytes(rel, content));
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
        filesWritten++;
    }
}
