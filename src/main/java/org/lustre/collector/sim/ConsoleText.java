package org.lustre.collector.sim;

/**
 * Lustre console message texts the simulator writes to its kmsg file, one method per message.
 * Each follows a line seen on real systems (src/test/resources/fixtures/lustre/kmsg/real/) or, where none was
 * captured, the printf format in lustre-release named next to it. Stateless, any thread.
 */
final class ConsoleText {

    /** /dev/kmsg priorities as libcfs maps them: LustreError 3, Lustre: warning 4, console info 6. */
    static final int ERR = 3;
    static final int WARN = 4;
    static final int INFO = 6;

    private ConsoleText() {
    }

    /** ptlrpc/import.c LCONSOLE_WARN; real: dias-2.15.3-mds "Connection to DIAS-OST0001 (at ...) was lost". */
    static String connectionLost(String osp, String target, String nid) {
        return "Lustre: " + osp + ": Connection to " + target + " (at " + nid
                + ") was lost; in progress operations using this service will wait for recovery to complete";
    }

    /**
     * ptlrpc/import.c "Connection restored to %s (at %s)". 2.15 prints the peer NID first
     * (dias-2.15.3-mds), older kernels the target name (schroedinger-2014-mds).
     */
    static String connectionRestored(Layout layout, String osp, String target, String nid) {
        String to = layout.restoredNamesNid() ? nid : target;
        return "Lustre: " + osp + ": Connection restored to " + to + " (at " + nid + ")";
    }

    /** ptlrpc/client.c 0x11 "%s: operation %s to node %s failed: rc = %d" (code 11-0 until 2.15). */
    static String operationFailed(Layout layout, String osp, String operation, String nid, int rc) {
        return "LustreError: " + (layout.consoleErrorCodes() ? "11-0: " : "") + osp + ": operation "
                + operation + " to node " + nid + " failed: rc = " + rc;
    }

    /** ptlrpc/recover.c ptlrpc_set_import_active(): LCONSOLE_WARN on deactivation. */
    static String importDeactivated(String targetUuid) {
        return "Lustre: setting import " + targetUuid + " INACTIVE by administrator request";
    }

    /** ptlrpc/pinger.c: the last word is "expire" up to 2.16 and "deadline" from 2.17 on. */
    static String clientEvicted(Layout layout, String mdt, String clientUuid, String nid, long now) {
        return "Lustre: " + mdt + ": haven't heard from client " + clientUuid + " (at " + nid + ") in 227 seconds."
                + " I think it's dead, and I am evicting it. exp 00000000a1b2c3d4, cur " + now
                + (layout == Layout.V2_17 ? " deadline " : " expire ") + (now - 150) + " last " + (now - 227);
    }

    /** Real console line of every Lustre module load (dias-2.15.3-mds). */
    static String buildVersion(Layout layout) {
        return "Lustre: Lustre: Build Version: " + layout.version();
    }
}
