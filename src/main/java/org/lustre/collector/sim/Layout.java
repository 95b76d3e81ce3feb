package org.lustre.collector.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where an MDS of a given Lustre version exposes each file the simulator writes. Follows the
 * location table of docs/lustre-layout.md (checked against lustre-release tags):
 * 2.10 keeps everything under proc; 2.12-2.16 move the sysfs attributes to /sys/fs/lustre and
 * the import files to debugfs; 2.17 also moves target_obd and recovery_status to debugfs.
 * Paths are relative to lustre-root and use '/'. Immutable, any thread.
 */
enum Layout {
    V2_10("2.10", "2.10.1", "2.10.1.0"),
    /**
     * The shape of the real LLNL 2.12.9 capture: no LOD target_obd a reader can see (the
     * simulator keeps its own copy under {@link #BOOKKEEPING}), MDT space in
     * {@code proc/fs/lustre/osd-zfs}, OSP attributes in sysfs, the import files in debugfs.
     */
    V2_12("2.12", "2.12.9_12.llnl", "2.12.9.0"),
    V2_15("2.15", "2.15.5", "2.15.5.0"),
    V2_17("2.17", "2.17.0", "2.17.0.0");

    static final String PROC = "proc/fs/lustre/";
    static final String SYS = "sys/fs/lustre/";
    static final String DEBUG = "sys/kernel/debug/lustre/";
    /** The simulator's own files, outside every Lustre root (no collector reads them). */
    static final String BOOKKEEPING = ".sim/";

    private final String label;
    private final String version;
    private final String targetVersion;

    Layout(String label, String version, String targetVersion) {
        this.label = label;
        this.version = version;
        this.targetVersion = targetVersion;
    }

    /** The layout of a simulated tree under {@code root}, null when there is none. */
    static Layout detect(Path root) {
        if (Files.isDirectory(root.resolve(BOOKKEEPING + "lod"))) {
            return V2_12;
        }
        if (Files.isDirectory(root.resolve(DEBUG + "lod"))) {
            return V2_17;
        }
        if (Files.isDirectory(root.resolve(SYS + "osp"))) {
            return V2_15;
        }
        if (Files.isDirectory(root.resolve(PROC + "osp"))) {
            return V2_10;
        }
        return null;
    }

    static Layout parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Stream.of(values()).filter(l -> l.label.equals(t)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown layout '" + text + "' (want 2.10, 2.12, 2.15 or 2.17)"));
    }

    String label() {
        return label;
    }

    /** Content of sys/fs/lustre/version. */
    String version() {
        return version;
    }

    /** target_version in the import file's connect_data. */
    String targetVersion() {
        return targetVersion;
    }

    /** From 2.16 on the import file quotes NIDs and adds nids_stats and idle (lprocfs_status.c). */
    boolean quotedImport() {
        return this == V2_17;
    }

    /** LU-17844 (2.16) dropped the "NN-N: " error code from console messages. */
    boolean consoleErrorCodes() {
        return this != V2_17;
    }

    /** 2.15 prints the peer NID after "Connection restored to"; 2.10-era kernels the target name. */
    boolean restoredNamesNid() {
        return this != V2_10;
    }

    /** osp attributes: active, kbytes*, files*, uuid, prealloc_status, ost_conn_uuid. */
    String ospAttrDir(String osp) {
        return (this == V2_10 ? PROC : SYS) + "osp/" + osp;
    }

    /** osp import, state, ost_server_uuid. */
    String ospImportDir(String osp) {
        return (this == V2_10 ? PROC : DEBUG) + "osp/" + osp;
    }

    /** Directory holding lod target_obd (2.12: the simulator's bookkeeping, as the capture lacks it). */
    String lodTargetObdDir(String lod) {
        if (this == V2_12) {
            return BOOKKEEPING + "lod/" + lod;
        }
        return (this == V2_17 ? DEBUG : PROC) + "lod/" + lod;
    }

    /** An MDT's own space (osd-zfs kbytes*, files*), or null when this layout does not write it. */
    String mdtOsdDir(String mdt) {
        return this == V2_12 ? PROC + "osd-zfs/" + mdt : null;
    }

    /** lod numobd, activeobd, kbytes*, files*, uuid. */
    String lodAttrDir(String lod) {
        return (this == V2_10 ? PROC : SYS) + "lod/" + lod;
    }

    /** mdt uuid and num_exports (sysfs from 2.13 on). */
    String mdtAttrDir(String mdt) {
        return (this == V2_10 ? PROC : SYS) + "mdt/" + mdt;
    }

    /** mdt recovery_status. */
    String mdtRecoveryDir(String mdt) {
        return (this == V2_17 ? DEBUG : PROC) + "mdt/" + mdt;
    }

    /** mgs.MGS.filesystems (debugfs from 2.11 on). */
    String mgsFilesystemsFile() {
        return (this == V2_10 ? PROC : DEBUG) + "mgs/MGS/filesystems";
    }

    /** mgs.MGS.live.<fs> stays in proc up to 2.17.0. */
    String mgsLiveFile(String fs) {
        return PROC + "mgs/MGS/live/" + fs;
    }

    String healthCheckFile() {
        return SYS + "health_check";
    }

    String versionFile() {
        return SYS + "version";
    }
}
