package org.lustre.collector.lustre;

import java.util.List;

/**
 * One target as discovery found it on this node, and where its files are. Immutable; a new
 * discovery makes new ones.
 *
 * @param id        its name, file system, kind and index
 * @param uuid      from target_obd/mdt_obd when listed there, else {@code <name>_UUID}
 * @param osps      the OSP devices of this node's MDTs that reach it, sorted (empty for a target
 *                  only served here)
 * @param lodActive ACTIVE/INACTIVE in the LOD's target_obd or mdt_obd; null when not listed
 * @param osd       the {@code osd-*} directory holding a local target's space ("osd-zfs"), or null
 * @param localMdt  an MDT served by this node ({@code mdt/}, {@code osd-*}, {@code lod/})
 * @param localOst  an OST served by this node ({@code obdfilter/}, {@code osd-*}): an OSS
 */
record Target(TargetName id, String uuid, List<String> osps, Boolean lodActive, String osd,
              boolean localMdt, boolean localOst) {
    Target {
        osps = List.copyOf(osps);
    }

    String name() {
        return id.name();
    }

    String fs() {
        return id.fs();
    }

    boolean local() {
        return localMdt || localOst;
    }

    /** The one-line connection file of its OSP devices (lproc_osp.c: ost_ or mdt_server_uuid). */
    String serverUuidFile() {
        return id.isOst() ? "ost_server_uuid" : "mdt_server_uuid";
    }

    /** The sysfs file naming the current peer of its OSP devices (ost_ or mdt_conn_uuid). */
    String connUuidFile() {
        return id.isOst() ? "ost_conn_uuid" : "mdt_conn_uuid";
    }
}
