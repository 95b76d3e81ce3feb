package org.lustre.collector.lustre;

/**
 * What this node knows of one target (OST or MDT), as served by getNodeInfo. Immutable.
 * Space and inode figures are -1 when not read yet (per-target reads are spread over scans) or
 * when the tree has no such file.
 *
 * <p><b>active and responding are kept apart.</b> {@code active = false} means an administrator
 * deactivated the target (INACTIVE in target_obd, {@code active} 0, or {@code DEACTIVATED} in
 * ost_server_uuid): expected, a Warning. {@code responding = false} means a lost connection (import
 * DISCONN, CONNECTING, EVICTED, ... on an active target) or an unhealthy local target: Critical.
 * A deactivated target counts as responding, since nobody expects it to.
 *
 * @param name        target name, e.g. {@code testfs-OST0004}
 * @param fs          file system name
 * @param kind        "OST" or "MDT"
 * @param index       target index (from the name)
 * @param uuid        target uuid, e.g. {@code testfs-OST0004_UUID}
 * @param nid         current connection NID, e.g. {@code 172.20.20.4@o2ib1}; "" when unknown or local
 * @param active      false when deactivated by the administrator
 * @param state       import state, the worst over the OSP devices that see the target (several
 *                    MDTs under DNE): FULL, DISCONN, CONNECTING, EVICTED, ...; "" unknown or local
 * @param responding  not a lost connection (see above); a local target: health_check
 * @param exports     num_exports of a local target (clients connected); -1 unknown
 * @param recovery    recovery_status of a local target; {@link RecoveryStatus#UNKNOWN} otherwise
 * @param updatedMillis when these figures were read, epoch milliseconds
 * @param local       served by this node (an MDS's MDTs, an OSS's OSTs): its responding is health_check's
 */
public record NodeState(String name, String fs, String kind, int index, String uuid, String nid,
                        boolean active, String state, boolean responding,
                        long kbytesTotal, long kbytesFree, long kbytesAvail,
                        long filesTotal, long filesFree, long exports, RecoveryStatus recovery,
                        long updatedMillis, boolean local) {
    public NodeState {
        if (recovery == null) {
            recovery = RecoveryStatus.UNKNOWN;
        }
        uuid = TargetName.unlessDefault(name, uuid);
    }

    /** Kept as null when it is {@code <name>_UUID} (see {@link TargetName#defaultUuid}). */
    @Override
    public String uuid() {
        return uuid != null ? uuid : TargetName.defaultUuid(name);
    }

    /** As the canonical constructor, for a remote target: no exports, no recovery figures. */
    public NodeState(String name, String fs, String kind, int index, String uuid, String nid,
                     boolean active, String state, boolean responding,
                     long kbytesTotal, long kbytesFree, long kbytesAvail,
                     long filesTotal, long filesFree, long updatedMillis) {
        this(name, fs, kind, index, uuid, nid, active, state, responding, kbytesTotal, kbytesFree, kbytesAvail,
                filesTotal, filesFree, -1, RecoveryStatus.UNKNOWN, updatedMillis, false);
    }
}
