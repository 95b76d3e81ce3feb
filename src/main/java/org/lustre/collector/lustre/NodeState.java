package org.lustre.collector.lustre;

/**
 * What the MDS knows of one target (OST or MDT), as served by getNodeInfo. Immutable.
 * Space and inode figures are -1 when not read yet (per-OST reads are spread over scans).
 *
 * @param name        target name, e.g. {@code testfs-OST0004}
 * @param fs          file system name
 * @param kind        "OST" or "MDT"
 * @param index       target index (from the name or target_obd)
 * @param uuid        target uuid, e.g. {@code testfs-OST0004_UUID}
 * @param nid         current connection NID, e.g. {@code 172.20.20.4@o2ib1}; "" when unknown
 * @param active      ACTIVE in target_obd (false = administratively deactivated)
 * @param state       import state: FULL, DISCONN, CONNECTING, EVICTED, ...; "" when unknown
 * @param responding  active and the import is FULL (an MDT of this MDS: its health)
 * @param updatedMillis when these figures were read, epoch milliseconds
 */
public record NodeState(String name, String fs, String kind, int index, String uuid, String nid,
                        boolean active, String state, boolean responding,
                        long kbytesTotal, long kbytesFree, long kbytesAvail,
                        long filesTotal, long filesFree, long updatedMillis) {
}
