package org.lustre.collector.lustre;

import java.util.List;

/**
 * One target as discovery found it on this node, and where its files are. Immutable; a new
 * discovery makes new ones.
 *
 * @param id        its name, file system, kind and index
 * @param uuid      from target_obd/mdt_obd when listed there, else {@code <name>_UUID} (kept as null,
 *                  see {@link TargetName#defaultUuid})
 * @param ospMdts   the local MDTs whose OSP devices reach it ({@code MDTyyyy}, sorted; empty for a
 *                  target only served here): the devices are {@link #osp}, named from these, so
 *                  that 100,000 targets share a few lists instead of holding 9 MB of device names
 * @param lodActive ACTIVE/INACTIVE in the LOD's target_obd or mdt_obd; null when not listed
 * @param osd       the {@code osd-*} directory holding a local target's space ("osd-zfs"), or null
 * @param localMdt  an MDT served by this node ({@code mdt/}, {@code osd-*}, {@code lod/})
 * @param localOst  an OST served by this node ({@code obdfilter/}, {@code osd-*}): an OSS
 */
record Target(TargetName id, String uuid, List<String> ospMdts, Boolean lodActive, String osd,
              boolean localMdt, boolean localOst) {
    Target {
        ospMdts = List.copyOf(ospMdts);
        uuid = TargetName.unlessDefault(id.name(), uuid);
    }

    @Override
    public String uuid() {
        return uuid != null ? uuid : TargetName.defaultUuid(id.name());
    }

    String name() {
        return id.name();
    }

    String fs() {
        return id.fs();
    }

    int ospCount() {
        return ospMdts.size();
    }

    /** Its i-th OSP device, {@code <fs>-OSTxxxx-osc-MDTyyyy} (an MDT's: {@code -osp-}). */
    String osp(int i) {
        return id.name() + (id.isOst() ? "-osc-" : "-osp-") + ospMdts.get(i);
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
