package org.lustre.collector.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.lustre.collector.trap.Category;

import static org.lustre.collector.sim.ImportFiles.CONNECTING;
import static org.lustre.collector.sim.ImportFiles.DISCONN;
import static org.lustre.collector.sim.ImportFiles.FULL;
import static org.lustre.collector.sim.ImportFiles.serverUuidLine;
import static org.lustre.collector.sim.Topology.ospName;

/**
 * A simulated MDS: the Lustre files of F file systems with N OSTs in all, written in the real
 * formats and at the real places of one Lustre version (see {@link Layout}), plus a trap file
 * ({@code traps.log}) and a /dev/kmsg record file ({@code kmsg}) beside them, so the collector
 * runs over it with {@code lustre-root} = the directory. See docs/simulator.md.
 *
 * <p>The tree itself is the state: every mutation reads the few files it changes and writes them
 * back, so a tree created by one process can be changed by the next ({@link #open(Path)}). Names,
 * NIDs and networks are derived from the file-system and OST index, never stored.
 *
 * <p>This class is the simulator's API and its lock; the work is done by {@link TreeBuilder}
 * (creation), {@link Topology} (names, NIDs, networks), {@link ImportFiles} (import state),
 * {@link EventWriter} (kmsg records and trap lines) and {@link TreeFiles} (atomic file replacement,
 * so that the collector never reads half a file); the space files it changes itself.
 *
 * <p>Thread safety: all methods are synchronized; any thread may call them. Two processes must
 * not mutate the same tree at the same time (kmsg sequence numbers would repeat).
 */
public final class SimulatedTree {

    public static final String DEFAULT_LAYOUT = "2.15";
    /** The trap file and the kmsg record file, inside the tree directory. */
    public static final String TRAP_FILE = "traps.log";
    public static final String KMSG_FILE = "kmsg";

    /**
     * How a tree departs from one MDS with one MDT per file system, as real trees do.
     *
     * @param mdts       MDTs per file system (DNE): each has its own OSP device for every OST
     *                   ({@code -osc-MDTyyyy}) and for every other MDT ({@code -osp-MDTyyyy}); the
     *                   mutations change the OSPs of MDT0000, as when one MDT loses an OST
     * @param nulPadding sysfs files padded with NULs to 4096 bytes, as in the LLNL 2.15 captures
     */
    public record Shape(int mdts, boolean nulPadding) {
        public static final Shape PLAIN = new Shape(1, false);
        public static final Shape DEMO = new Shape(2, true);

        public Shape {
            if (mdts < 1 || mdts > 16) {
                throw new IllegalArgumentException("MDTs per file system must be 1-16, not " + mdts);
            }
        }
    }

    private final TreeFiles files;
    private final Topology topology;
    private final ImportFiles imports;
    private final EventWriter events;
    private final LongSupplier clock;

    private SimulatedTree(Path root, Layout layout, List<String> fileSystems, int[] ostCounts, LongSupplier clock,
            Shape shape, long bootMillis, long nextKmsgSeq, long lastKmsgUsec) {
        this.files = new TreeFiles(root, layout, shape);
        this.topology = new Topology(fileSystems, ostCounts);
        this.imports = new ImportFiles(files, topology);
        this.events = new EventWriter(files, clock, bootMillis, nextKmsgSeq, lastKmsgUsec);
        this.clock = clock;
    }

    // ------------------------------------------------------------------ creation and opening

    /** {@link #create(Path, int, int, String, LongSupplier, Shape)} with the system clock, one MDT, no padding. */
    public static SimulatedTree create(Path root, int fileSystems, int totalOsts, String layout) throws IOException {
        return create(root, fileSystems, totalOsts, layout, System::currentTimeMillis, Shape.PLAIN);
    }

    /**
     * Writes a new tree under {@code root} (created when missing; must be empty). File systems are
     * named {@code testfs} when there is one, else {@code fs00}, {@code fs01}, ...; the OSTs are
     * spread evenly (the first file systems get one more when it does not divide).
     *
     * @param clockMillis wall clock in milliseconds, used for every time written
     * @param shape       DNE and NUL padding
     * @throws IllegalArgumentException for counts out of range (1-256 file systems, at least one
     *         OST each, at most 65,536 per file system), an unknown layout or a non-empty root
     */
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
        if (Files.isDirectory(root) && !TreeFiles.isEmptyDirectory(root)) {
            throw new IllegalArgumentException("directory is not empty: " + root);
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
        new TreeBuilder(tree.files, tree.topology, tree.imports, tree.events).writeAll(now);
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
        Layout l = Layout.detect(root);
        if (l == null) {
            throw new IllegalArgumentException("no simulated Lustre tree in " + root);
        }
        Path lodDir = root.resolve(l.lodTargetObdDir("x")).getParent();
        List<String> names;
        try (Stream<Path> lods = Files.list(lodDir)) {
            names = lods.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-MDT0000-mdtlov"))
                    .map(n -> n.substring(0, n.length() - "-MDT0000-mdtlov".length())).sorted().toList();
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no file systems in " + lodDir);
        }
        int[] counts = new int[names.size()];
        for (int f = 0; f < counts.length; f++) {
            String obd = Files.readString(root.resolve(l.lodTargetObdDir(Topology.lodName(names.get(f))) + "/target_obd"));
            counts[f] = (int) obd.lines().filter(s -> !s.isBlank()).count();
        }
        // proc/uptime is rewritten with every kmsg record: its mtime minus its value is the boot time.
        Path uptime = root.resolve("proc/uptime");
        String up = Files.readString(uptime).trim();
        double upSeconds = Double.parseDouble(up.substring(0, up.indexOf(' ')));
        long boot = Files.getLastModifiedTime(uptime).toMillis() - Math.round(upSeconds * 1000);
        long[] last = EventWriter.lastKmsgRecord(root.resolve(KMSG_FILE));
        return new SimulatedTree(root, l, names, counts, clockMillis, readShape(root, l, names.get(0)), boot,
                last[0] + 1, last[1]);
    }

    /** True when {@code root} holds a tree {@link #open} can read. */
    public static boolean exists(Path root) {
        return Layout.detect(root) != null;
    }

    /** The shape of an existing tree: its MDT count and whether its sysfs files are padded. */
    private static Shape readShape(Path root, Layout l, String fs) throws IOException {
        long mdts;
        try (Stream<Path> dirs = Files.list(root.resolve(l.mdtAttrDir(fs + "-MDT0000")).getParent())) {
            mdts = dirs.filter(p -> p.getFileName().toString().startsWith(fs + "-MDT")).count();
        }
        byte[] health = Files.readAllBytes(root.resolve(l.healthCheckFile()));
        return new Shape((int) Math.max(1, mdts), health.length == TreeFiles.PAD_TO && health[TreeFiles.PAD_TO - 1] == 0);
    }

    // ------------------------------------------------------------------ names, NIDs, networks

    /** The collector's lustre-root. */
    public Path root() {
        return files.root();
    }

    /** "2.10", "2.12", "2.15" or "2.17". */
    public String layout() {
        return files.layout().label();
    }

    Layout layoutKind() {
        return files.layout();
    }

    long nowMillis() {
        return clock.getAsLong();
    }

    public Shape shape() {
        return files.shape();
    }

    /** Sorted. */
    public List<String> fileSystems() {
        return topology.fileSystems();
    }

    public synchronized int ostCount(String fs) {
        return topology.ostCount(topology.fsIndex(fs));
    }

    public int totalOsts() {
        return topology.totalOsts();
    }

    /** Files written so far by this instance (create counts every file of the tree). */
    public synchronized long filesWritten() {
        return files.filesWritten();
    }

    public Path trapFile() {
        return files.resolve(TRAP_FILE);
    }

    public Path kmsgFile() {
        return files.resolve(KMSG_FILE);
    }

    /** {@code fs00-OST000a}: the target name Lustre prints, index in lower-case hex. */
    public static String targetName(String fs, int index) {
        return Topology.targetName(fs, index);
    }

    /** LNet networks behind which the OSTs of a file system sit: o2ib1 .. o2ib4. */
    public List<String> networks(String fs) {
        return topology.networks(topology.fsIndex(fs));
    }

    /** Network of an OST, for example {@code o2ib2}. */
    public String network(String fs, int index) {
        return "o2ib" + topology.networkNumber(topology.check(fs, index), index);
    }

    /** Current NID of an OST's server, for example {@code 10.0.0.2@o2ib1}. */
    public String nid(String fs, int index) {
        return topology.nid(topology.check(fs, index), index);
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
        int f = topology.check(fs, index);
        long now = clock.getAsLong();
        if (!imports.setState(f, index, DISCONN, now / 1000, DISCONN)) {
            return false;
        }
        if (kmsg) {
            events.appendKmsgRecords(EventWriter.one(ConsoleText.WARN,
                    ConsoleText.connectionLost(ospName(fs, index), targetName(fs, index), topology.nid(f, index))),
                    now);
        }
        return true;
    }

    /**
     * The OST is reachable again: state_history gets CONNECTING and FULL, import and
     * ost_server_uuid FULL, one "Connection restored" kmsg record.
     *
     * @return false when the OST was already FULL
     */
    public synchronized boolean ostUp(String fs, int index) throws IOException {
        int f = topology.check(fs, index);
        long now = clock.getAsLong();
        if (!imports.setState(f, index, FULL, now / 1000, CONNECTING, FULL)) {
            return false;
        }
        events.appendKmsgRecords(EventWriter.one(ConsoleText.INFO, ConsoleText.connectionRestored(files.layout(),
                ospName(fs, index), targetName(fs, index), topology.nid(f, index))), now);
        return true;
    }

    /** True when the OST's import is not FULL. */
    public synchronized boolean isDown(String fs, int index) throws IOException {
        return !FULL.equals(imports.state(topology.check(fs, index), index));
    }

    /** True when the OST is administratively active (osp active = 1). */
    public synchronized boolean isActive(String fs, int index) throws IOException {
        topology.check(fs, index);
        return "1".equals(files.read(files.layout().ospAttrDir(ospName(fs, index)) + "/active").trim());
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
        int f = topology.check(fs, index);
        Layout layout = files.layout();
        String attr = layout.ospAttrDir(ospName(fs, index));
        if (active == "1".equals(files.read(attr + "/active").trim())) {
            return false;
        }
        files.replace(attr + "/active", active ? "1\n" : "0\n");
        String imp = layout.ospImportDir(ospName(fs, index));
        files.replace(imp + "/ost_server_uuid", serverUuidLine(fs, index, imports.state(f, index), active));
        String lod = Topology.lodName(fs);
        String obdFile = layout.lodTargetObdDir(lod) + "/target_obd";
        String[] lines = files.read(obdFile).split("\n", -1);
        lines[index] = index + ": " + targetName(fs, index) + "_UUID " + (active ? "ACTIVE" : "INACTIVE");
        String obd = String.join("\n", lines);
        files.replace(obdFile, obd);
        long activeCount = obd.lines().filter(s -> s.endsWith(" ACTIVE")).count();
        files.replace(layout.lodAttrDir(lod) + "/activeobd", activeCount + "\n");
        if (!active) {
            events.appendKmsgRecords(EventWriter.one(ConsoleText.WARN,
                    ConsoleText.importDeactivated(targetName(fs, index) + "_UUID")), clock.getAsLong());
        }
        return true;
    }

    /**
     * Sets how full an OST is: its kbytesfree and kbytesavail, the file system's totals in lod,
     * and prealloc_status -28 (ENOSPC) when nothing is available any more, else 0.
     */
    public synchronized void fill(String fs, int index, int percentUsed) throws IOException {
        topology.check(fs, index);
        if (percentUsed < 0 || percentUsed > 100) {
            throw new IllegalArgumentException("percent used must be 0-100, not " + percentUsed);
        }
        Layout layout = files.layout();
        String attr = layout.ospAttrDir(ospName(fs, index));
        long total = files.readLong(attr + "/kbytestotal");
        long oldFree = files.readLong(attr + "/kbytesfree");
        long oldAvail = files.readLong(attr + "/kbytesavail");
        long free = percentUsed == 100 ? 0 : total - total / 100 * percentUsed;
        long avail = Math.max(0, free - TreeBuilder.RESERVED_KBYTES);
        files.replace(attr + "/kbytesfree", free + "\n");
        files.replace(attr + "/kbytesavail", avail + "\n");
        files.replace(attr + "/prealloc_status", avail == 0 ? "-28\n" : "0\n");
        String lodAttr = layout.lodAttrDir(Topology.lodName(fs));
        long lodFree = files.readLong(lodAttr + "/kbytesfree");
        long lodAvail = files.readLong(lodAttr + "/kbytesavail");
        files.replace(lodAttr + "/kbytesfree", (lodFree - oldFree + free) + "\n");
        files.replace(lodAttr + "/kbytesavail", (lodAvail - oldAvail + avail) + "\n");
    }

    /** Used space of an OST in whole percent, from its kbytestotal and kbytesfree. */
    public synchronized int percentUsed(String fs, int index) throws IOException {
        topology.check(fs, index);
        String attr = files.layout().ospAttrDir(ospName(fs, index));
        long total = files.readLong(attr + "/kbytestotal");
        long free = files.readLong(attr + "/kbytesfree");
        return (int) Math.round(100.0 * (total - free) / total);
    }

    /**
     * The OST's kbytesfree can no longer be read, as a live OSP's fails with ENOTCONN or EIO: a
     * directory takes its place (reading one fails, even for root), the value kept inside it for
     * {@link #readable}.
     *
     * @return false when already unreadable
     */
    public synchronized boolean unreadable(String fs, int index) throws IOException {
        Path file = kbytesFree(fs, index);
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
        Path file = kbytesFree(fs, index);
        if (!Files.isDirectory(file)) {
            return false;
        }
        byte[] value = Files.readAllBytes(file.resolve("value"));
        Files.delete(file.resolve("value"));
        Files.delete(file);
        Files.write(file, value);
        return true;
    }

    private Path kbytesFree(String fs, int index) {
        topology.check(fs, index);
        return files.resolve(files.layout().ospAttrDir(ospName(fs, index)) + "/kbytesfree");
    }

    /** Writes sys/fs/lustre/health_check: "healthy", "NOT HEALTHY", "LBUG" or any text. */
    public synchronized void health(String text) throws IOException {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("health text is empty");
        }
        files.replace(files.layout().healthCheckFile(), text.strip() + "\n");
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
        return router(fs, network, false);
    }

    /** The router is back: every disconnected OST behind that network reconnects (see {@link #ostUp}). */
    public synchronized int routerRestore(String fs, String network) throws IOException {
        return router(fs, network, true);
    }

    private int router(String fs, String network, boolean up) throws IOException {
        int f = topology.fsIndex(fs);
        int net = topology.parseNetwork(f, network);
        long now = clock.getAsLong();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < topology.ostCount(f); i++) {
            if (topology.networkNumber(f, i) != net) {
                continue;
            }
            boolean changed = up ? imports.setState(f, i, FULL, now / 1000, CONNECTING, FULL)
                    : imports.setState(f, i, DISCONN, now / 1000, DISCONN);
            if (changed) {
                String nid = topology.nid(f, i);
                records.add(up
                        ? new String[] {String.valueOf(ConsoleText.INFO), ConsoleText.connectionRestored(files.layout(),
                                ospName(fs, i), targetName(fs, i), nid)}
                        : new String[] {String.valueOf(ConsoleText.WARN),
                                ConsoleText.connectionLost(ospName(fs, i), targetName(fs, i), nid)});
            }
        }
        events.appendKmsgRecords(records, now);
        return records.size();
    }

    // ------------------------------------------------------------------ trap and console lines

    /**
     * Appends one trap line to traps.log in the TAB format of the README ("What it watches"):
     * {@code id time category fs node message}. TABs and line breaks in the fields become spaces.
     */
    public synchronized void appendTrap(Category category, String fs, String node, String message) throws IOException {
        events.appendTrap(category, fs, node, message);
    }

    /** Appends one /dev/kmsg record ({@code prio,seq,usec,-;message}), its priority as libcfs maps the message. */
    public synchronized void appendKmsg(String message) throws IOException {
        appendKmsg(EventWriter.defaultPriority(message), message);
    }

    /** Appends one /dev/kmsg record with the given priority (0-7). */
    public synchronized void appendKmsg(int priority, String message) throws IOException {
        if (priority < 0 || priority > 7) {
            throw new IllegalArgumentException("kmsg priority must be 0-7, not " + priority);
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("kmsg message is empty");
        }
        events.appendKmsgRecords(EventWriter.one(priority, message), clock.getAsLong());
    }

    public synchronized long nextKmsgSeq() {
        return events.nextKmsgSeq();
    }

    /** Rewrites proc/uptime for the current time (the kmsg source maps record times through it). */
    public synchronized void touchUptime() throws IOException {
        events.writeUptime(clock.getAsLong());
    }
}
