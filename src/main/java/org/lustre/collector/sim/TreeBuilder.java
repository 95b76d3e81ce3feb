package org.lustre.collector.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import static org.lustre.collector.sim.ImportFiles.FULL;
import static org.lustre.collector.sim.ImportFiles.CONNECTING;
import static org.lustre.collector.sim.ImportFiles.historyLine;
import static org.lustre.collector.sim.ImportFiles.serverUuidLine;
import static org.lustre.collector.sim.Topology.lodName;
import static org.lustre.collector.sim.Topology.ospName;
import static org.lustre.collector.sim.Topology.targetName;

/**
 * Writes a new simulated tree: for each file system its LOD, one OSP per OST (all FULL and
 * active, space figures from the real hpe-2.10.1 OST0001), its MDTs (more than one with DNE) and
 * MGS files; then the health, version, boot id and uptime files and empty event files. Once,
 * from {@link SimulatedTree#create}.
 */
final class TreeBuilder {
    /** Size of every simulated OST in KiB: the one of lustrefs-OST0001 in hpe-2.10.1. */
    static final long OST_KBYTES = 47_168_408_576L;
    static final long OST_FILES = 1_474_012_704L;
    /** kbytesfree - kbytesavail of lustrefs-OST0001 in hpe-2.10.1. */
    static final long RESERVED_KBYTES = 40_960L;

    private final TreeFiles files;
    private final Layout layout;
    private final Topology topology;
    private final ImportFiles imports;
    private final EventWriter events;

    TreeBuilder(TreeFiles files, Topology topology, ImportFiles imports, EventWriter events) {
        this.files = files;
        this.layout = files.layout();
        this.topology = topology;
        this.imports = imports;
        this.events = events;
    }

    void writeAll(long now) throws IOException {
        Files.createDirectories(files.root());
        long nowSec = now / 1000;
        StringBuilder fsList = new StringBuilder();
        for (int f = 0; f < topology.fileSystems().size(); f++) {
            writeFileSystem(f, nowSec);
            fsList.append(topology.fileSystem(f)).append('\n');
        }
        files.write(layout.mgsFilesystemsFile(), fsList.toString());
        files.write(layout.healthCheckFile(), "healthy\n");
        files.write(layout.versionFile(), layout.version() + "\n");
        files.write("proc/sys/kernel/random/boot_id", UUID.nameUUIDFromBytes(
                (files.root().toAbsolutePath() + "/" + events.bootMillis()).getBytes(StandardCharsets.UTF_8)) + "\n");
        events.writeUptime(now);
        files.write(SimulatedTree.TRAP_FILE, "");
        files.write(SimulatedTree.KMSG_FILE, "");
        events.appendKmsgRecords(EventWriter.one(ConsoleText.INFO, ConsoleText.buildVersion(layout)),
                events.bootMillis() + 12_345);
    }

    private void writeFileSystem(int f, long nowSec) throws IOException {
        String fs = topology.fileSystem(f);
        int n = topology.ostCount(f);
        String lod = lodName(fs);
        StringBuilder obd = new StringBuilder(n * 32);
        StringBuilder live = new StringBuilder("fsname: " + fs + "\nflags: 0x20     gen: " + (n + 21) + "\n"
                + fs + "-MDT0000\n");
        long[] lodSpace = new long[SPACE.length];
        String history = historyLine(nowSec, CONNECTING) + historyLine(nowSec, FULL);
        for (int i = 0; i < n; i++) {
            String target = targetName(fs, i);
            String osp = ospName(fs, i);
            String attr = layout.ospAttrDir(osp);
            String imp = layout.ospImportDir(osp);
            Files.createDirectories(files.resolve(attr));
            if (!imp.equals(attr)) {
                Files.createDirectories(files.resolve(imp));
            }
            int usedPct = 10 + (int) ((f * 7_919L + i * 104_729L) % 60);
            long free = OST_KBYTES - OST_KBYTES / 100 * usedPct;
            long avail = Math.max(0, free - RESERVED_KBYTES);
            long filesFree = OST_FILES - 256 - usedPct * 1_000_000L;
            files.write(attr + "/active", "1\n");
            long[] ostSpace = {OST_KBYTES, free, avail, OST_FILES, filesFree};
            writeSpace(attr, ostSpace);
            files.write(attr + "/uuid", lod + "_UUID\n");
            files.write(attr + "/prealloc_status", "0\n");
            files.write(attr + "/ost_conn_uuid", topology.nid(f, i) + "\n");
            files.write(imp + "/import", imports.importText(f, i, FULL));
            files.write(imp + "/state", "current_state: " + FULL + "\nstate_history:\n" + history);
            files.write(imp + "/ost_server_uuid", target + "_UUID\t" + FULL + "\n");
            obd.append(i).append(": ").append(target).append("_UUID ACTIVE\n");
            live.append(target).append('\n');
            for (int k = 0; k < SPACE.length; k++) {
                lodSpace[k] += ostSpace[k];
            }
        }
        String obdDir = layout.lodTargetObdDir(lod);
        String lodAttr = layout.lodAttrDir(lod);
        Files.createDirectories(files.resolve(obdDir));
        Files.createDirectories(files.resolve(lodAttr));
        files.write(obdDir + "/target_obd", obd.toString());
        files.write(lodAttr + "/numobd", n + "\n");
        files.write(lodAttr + "/activeobd", n + "\n");
        writeSpace(lodAttr, lodSpace);
        files.write(lodAttr + "/uuid", lod + "_UUID\n");
        if (layout == Layout.V2_10) {
            // 2.10 keeps lov as a symlink to lod (hpe-2.10.1); optional for readers.
            Path lov = files.resolve(Layout.PROC + "lov/" + lod);
            Files.createDirectories(lov.getParent());
            Files.createSymbolicLink(lov, Path.of("../lod/" + lod));
        }
        writeOtherMdts(f, history);
        String mdt = fs + "-MDT0000";
        if (layout.mdtOsdDir(mdt) != null) {
            writeMdtSpace(mdt);
        }
        Files.createDirectories(files.resolve(layout.mdtAttrDir(mdt)));
        Files.createDirectories(files.resolve(layout.mdtRecoveryDir(mdt)));
        files.write(layout.mdtAttrDir(mdt) + "/uuid", mdt + "_UUID\n");
        files.write(layout.mdtAttrDir(mdt) + "/num_exports", (n + 3) + "\n");
        files.write(layout.mdtRecoveryDir(mdt) + "/recovery_status", "status: COMPLETE\n");
        live.append("\nSecure RPC Config Rules:\n\nimperative_recovery_state:\n    state: full\n    nonir_clients: 0\n"
                + "    nidtbl_version: " + (n + 17) + "\n    notify_duration_total: 0.006756186\n"
                + "    notify_duation_max: 0.000853740\n    notify_count: " + n * 2 + "\n");
        files.write(layout.mgsLiveFile(fs), live.toString());
    }

    /**
     * DNE: MDT0001.. of a file system, each with its own OSP device per OST (FULL, same figures)
     * and per other MDT, and MDT0000's OSPs to them.
     */
    private void writeOtherMdts(int f, String history) throws IOException {
        String fs = topology.fileSystem(f);
        int mdts = files.shape().mdts();
        for (int m = 1; m < mdts; m++) {
            String mdt = String.format(Locale.ROOT, "%s-MDT%04x", fs, m);
            String owner = String.format(Locale.ROOT, "MDT%04x", m);
            files.write(layout.mdtAttrDir(mdt) + "/uuid", mdt + "_UUID\n");
            files.write(layout.mdtAttrDir(mdt) + "/num_exports", "3\n");
            files.write(layout.mdtRecoveryDir(mdt) + "/recovery_status", "status: COMPLETE\n");
            if (layout.mdtOsdDir(mdt) != null) {
                writeMdtSpace(mdt);
            }
            for (int i = 0; i < topology.ostCount(f); i++) {
                String osp = targetName(fs, i) + "-osc-" + owner;
                String attr = layout.ospAttrDir(osp);
                String mdt0 = layout.ospAttrDir(ospName(fs, i));
                for (String a : SPACE) {
                    files.write(attr + "/" + a, files.read(mdt0 + "/" + a));
                }
                files.write(attr + "/ost_conn_uuid", topology.nid(f, i) + "\n");
                files.write(layout.ospImportDir(osp) + "/ost_server_uuid", serverUuidLine(fs, i, FULL, true));
            }
            for (int other = 0; other < mdts; other++) {
                if (other == m) {
                    continue;
                }
                String target = String.format(Locale.ROOT, "%s-MDT%04x", fs, other);
                for (String osp : new String[] {target + "-osp-" + owner,
                    mdt + "-osp-" + String.format(Locale.ROOT, "MDT%04x", other)}) {
                    String t = osp.substring(0, osp.indexOf("-osp-"));
                    files.write(layout.ospAttrDir(osp) + "/kbytestotal", 1_000_000_000L + "\n");
                    files.write(layout.ospAttrDir(osp) + "/kbytesfree", 900_000_000L + "\n");
                    files.write(layout.ospImportDir(osp) + "/mdt_server_uuid", t + "_UUID\t" + FULL + "\n");
                    files.write(layout.ospImportDir(osp) + "/state",
                            "current_state: " + FULL + "\nstate_history:\n" + history);
                }
            }
        }
    }

    private static final String[] SPACE = {"kbytestotal", "kbytesfree", "kbytesavail", "filestotal", "filesfree"};

    /** The five {@link #SPACE} files of an OSP or LOD, in that order. */
    private void writeSpace(String dir, long... values) throws IOException {
        for (int i = 0; i < SPACE.length; i++) {
            files.write(dir + "/" + SPACE[i], values[i] + "\n");
        }
    }

    /** An MDT's own space, in its OSD (osd-zfs under proc in 2.12): the LLNL MDT0000 figures. */
    private void writeMdtSpace(String mdt) throws IOException {
        String osd = layout.mdtOsdDir(mdt);
        files.write(osd + "/kbytestotal", "3096018432\n");
        files.write(osd + "/kbytesfree", "2935558272\n");
        files.write(osd + "/filestotal", "2935603830\n");
        files.write(osd + "/filesfree", "2803016098\n");
    }
}
