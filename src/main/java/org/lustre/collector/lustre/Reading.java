package org.lustre.collector.lustre;

import java.util.List;

/**
 * What the last reads of one target found. Immutable: a read makes a new one, and the newest
 * wins (the scan thread and an RPC thread's refresh may read the same target).
 *
 * @param connection   per OSP device, what its server_uuid file said last
 * @param state        the worst import state over the OSP devices; "" unknown
 * @param activeZero   an OSP device's {@code active} file read 0 (deactivated)
 * @param nid          current peer, from {@code ost_conn_uuid}; "" unknown
 * @param space        {kbytestotal, kbytesfree, kbytesavail, filestotal, filesfree}, -1 each when unknown
 * @param exports      num_exports of a local target, -1 unknown
 * @param recovery     recovery_status of a local target
 * @param sinceSeconds when the import entered {@code state} (state_history), -1 unknown
 * @param updatedMillis when space and the other slow figures were read; 0 never
 */
record Reading(Connection connection, String state, boolean activeZero, String nid, long[] space, long exports,
               RecoveryStatus recovery, long sinceSeconds, long updatedMillis) {
    static final long[] NO_SPACE = {-1, -1, -1, -1, -1};

    static Reading none(Target t) {
        return new Reading(Connection.none(t.ospMdts()), "", false, "", NO_SPACE, -1, RecoveryStatus.UNKNOWN, -1, 0);
    }

    /** Deactivated by the administrator: an OSP device says DEACTIVATED or {@code active} 0. */
    boolean deactivated() {
        return activeZero || connection.anyDeactivated();
    }

    /**
     * Per OSP device (in {@code ospMdts} order): the import state last read ("" unknown), whether
     * its server_uuid file said DEACTIVATED, and whether that file was read at all (versions
     * without it give the state through {@code import}, which does not say DEACTIVATED).
     */
    record Connection(List<String> ospMdts, String[] states, boolean[] deactivated, boolean[] serverUuidRead) {
        static Connection none(List<String> ospMdts) {
            int n = ospMdts.size();
            String[] states = new String[n];
            java.util.Arrays.fill(states, "");
            return new Connection(ospMdts, states, new boolean[n], new boolean[n]);
        }

        String worst() {
            String w = "";
            for (String s : states) {
                w = ImportStates.worse(w, s);
            }
            return w;
        }

        boolean allRead() {
            for (boolean r : serverUuidRead) {
                if (!r) {
                    return false;
                }
            }
            return true;
        }

        boolean anyDeactivated() {
            for (boolean d : deactivated) {
                if (d) {
                    return true;
                }
            }
            return false;
        }
    }
}
