package org.lustre.collector.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.lustre.collector.sim.Topology.ospName;
import static org.lustre.collector.sim.Topology.targetName;

/**
 * An OST import as the MDS shows it: the osp {@code import} block, the {@code state} file with
 * its history, and {@code ost_server_uuid}, written in the formats of the tree's Lustre version.
 * Not thread-safe: {@link SimulatedTree} serializes its callers.
 */
final class ImportFiles {
    static final String FULL = "FULL";
    static final String DISCONN = "DISCONN";
    static final String CONNECTING = "CONNECTING";
    /** IMP_STATE_HIST_LEN in lustre_import.h: the state file shows at most 16 entries. */
    static final int STATE_HISTORY = 16;
    /** The real 2.10.1 MDS->OST connect flags (hpe-2.10.1 import). */
    private static final String CONNECT_FLAGS = "[ lov_index, connect_from_mds, version, request_portal,"
            + " adaptive_timeouts, lru_resize, fid_is_enabled, skip_orphan, full20, lvb_type, lfsck, bulk_mbits ]";

    private final TreeFiles files;
    private final Topology topology;

    ImportFiles(TreeFiles files, Topology topology) {
        this.files = files;
        this.topology = topology;
    }

    static String historyLine(long sec, String state) {
        return " - [ " + sec + ", " + state + " ]\n";
    }

    /** {@code <uuid>\t<STATE>[\tDEACTIVATED]} (lprocfs_server_uuid_seq_show). */
    static String serverUuidLine(String fs, int i, String state, boolean active) {
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

    String state(int f, int i) throws IOException {
        return currentState(files.read(files.layout().ospImportDir(ospName(topology.fileSystem(f), i)) + "/state"));
    }

    /** The osp import file: the 2.10 block (hpe-2.10.1), quoted with nids_stats and idle from 2.16 on. */
    String importText(int f, int i, String state) {
        String fs = topology.fileSystem(f);
        List<String> nids = topology.failoverNids(f, i);
        Layout layout = files.layout();
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

    /**
     * Moves an OST's import to {@code state}, appending {@code history} entries to the state file.
     * Returns false (writing nothing) when the import already is in that state.
     */
    boolean setState(int f, int i, String state, long sec, String... history) throws IOException {
        String fs = topology.fileSystem(f);
        String osp = ospName(fs, i);
        Layout layout = files.layout();
        String imp = layout.ospImportDir(osp);
        String old = files.read(imp + "/state");
        if (state.equals(currentState(old))) {
            return false;
        }
        List<String> lines = new ArrayList<>(Stream.of(old.split("\n")).filter(l -> l.startsWith(" - ["))
                .map(l -> l + "\n").toList());
        for (String h : history) {
            lines.add(historyLine(sec, h));
        }
        String stateText = "current_state: " + state + "\nstate_history:\n"
                + String.join("", lines.subList(Math.max(0, lines.size() - STATE_HISTORY), lines.size()));
        boolean active = "1".equals(files.read(layout.ospAttrDir(osp) + "/active").trim());
        files.replace(imp + "/import", importText(f, i, state));
        files.replace(imp + "/state", stateText);
        files.replace(imp + "/ost_server_uuid", serverUuidLine(fs, i, state, active));
        return true;
    }
}
