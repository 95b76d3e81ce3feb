package org.lustre.collector.lustre;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Writes Lustre trees of a given release layout into a test directory. */
final class TestTrees {
    static final String PROC = "proc/fs/lustre/";
    static final String SYS = "sys/fs/lustre/";
    static final String DBG = "sys/kernel/debug/lustre/";

    private TestTrees() {
    }

    /**
     * A 2.15 MDS (MGS + MDT0000) of file system {@code fs} with {@code osts} OSTs: target_obd in
     * proc, LOD/OSP attributes in sysfs, import/state/ost_server_uuid in debugfs, the debugfs
     * health_check twin. With {@code v217}: the 2.17 layout (target_obd in debugfs, quoted NIDs,
     * no health twin).
     */
    static void write(Path root, String fs, int osts, boolean v217) {
        String lod = fs + "-MDT0000-mdtlov";
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < osts; i++) {
            targets.append(i).append(": ").append(ost(fs, i)).append("_UUID ACTIVE\n");
        }
        Fixtures.put(root, (v217 ? DBG : PROC) + "lod/" + lod + "/target_obd", targets.toString());
        if (!v217) {
            Fixtures.put(root, PROC + "lod/" + lod + "/stripesize", "1048576\n");
        }
        Fixtures.put(root, SYS + "lod/" + lod + "/kbytestotal", "" + 1000L * osts + "\n");
        Fixtures.put(root, SYS + "lod/" + lod + "/kbytesfree", "" + 600L * osts + "\n");
        Fixtures.put(root, SYS + "lod/" + lod + "/numobd", osts + "\n");
        Fixtures.put(root, SYS + "mdt/" + fs + "-MDT0000/num_exports", "3\n");
        Fixtures.put(root, DBG + "mgs/MGS/filesystems", fs + "\n");
        Fixtures.put(root, SYS + "health_check", "healthy\n");
        if (!v217) {
            Fixtures.put(root, DBG + "health_check", "");
        }
        for (int i = 0; i < osts; i++) {
            writeOst(root, fs, i, "FULL", v217);
        }
    }

    static String ost(String fs, int i) {
        return String.format("%s-OST%04x", fs, i);
    }

    static String osp(String fs, int i) {
        return ost(fs, i) + "-osc-MDT0000";
    }

    /** (Re)writes the OSP files of one OST with the given import state. */
    static void writeOst(Path root, String fs, int i, String state, boolean quoted) {
        String sys = SYS + "osp/" + osp(fs, i) + "/";
        String dbg = DBG + "osp/" + osp(fs, i) + "/";
        String nid = "10.0.0." + (i + 1) + "@o2ib1";
        Fixtures.put(root, sys + "active", "1\n");
        Fixtures.put(root, sys + "kbytestotal", "1000\n");
        Fixtures.put(root, sys + "kbytesfree", "600\n");
        Fixtures.put(root, sys + "kbytesavail", "550\n");
        Fixtures.put(root, sys + "filestotal", "100\n");
        Fixtures.put(root, sys + "filesfree", "90\n");
        Fixtures.put(root, sys + "ost_conn_uuid", nid + "\n");
        String q = quoted ? "\"" : "";
        Fixtures.put(root, dbg + "import", "import:\n    name: " + osp(fs, i) + "\n    target: " + ost(fs, i) + "_UUID\n"
                + "    state: " + state + "\n    connection:\n       failover_nids: [ " + q + nid + q + " ]\n"
                + (quoted ? "       nids_stats:\n          \"" + nid + "\": { connects: 1, replied: 1, uptodate: true, sec_ago: 3 }\n" : "")
                + "       current_connection: " + q + nid + q + "\n       connection_attempts: 1\n");
        Fixtures.put(root, dbg + "state", "current_state: " + state + "\nstate_history:\n - [ 1700000000, CONNECTING ]\n"
                + " - [ 1700000100, " + state + " ]\n");
        Fixtures.put(root, dbg + "ost_server_uuid", ost(fs, i) + "_UUID\t" + state + "\n");
    }

    /** Copies a tree, keeping symlinks as symlinks. */
    static void copy(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(dest.getParent());
                    Files.createSymbolicLink(dest, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
