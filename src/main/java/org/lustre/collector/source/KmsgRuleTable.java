package org.lustre.collector.source;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.lustre.collector.trap.Category;

/**
 * THE table of kernel-log rules that {@link KmsgRules} applies: one rule per message family, each
 * written from the lustre-release format string of that family (the file is named in the rule's
 * reason or in {@code src/test/resources/kmsg-corpus/README.md}) and checked against the real
 * lines of that corpus. Order matters: specific before generic; the last rules take every
 * Lustre, LNet and ldiskfs message.
 *
 * <p>Patterns are searched (not matched whole) in the body of a message, the text after its
 * prefix, location and console code. None may backtrack over the line ({@code \S{1,128}}, never
 * {@code .*} or {@code \S+}: see KmsgRules, "Bounded, linear work"). Stateless; any thread.
 */
final class KmsgRuleTable {

    /** How a rule picks the node of its trap (see KmsgRules). */
    enum NodeFrom { TARGET, NID }

    /**
     * One message family.
     *
     * @param kind     event kind (also part of trap ids)
     * @param prefixes the console prefixes it applies to
     * @param pattern  searched in the body
     * @param action   trap, repeat or ignore
     * @param category for a trap
     * @param nodeFrom how the node is chosen
     * @param reason   why this category: what the administrator faces
     */
    record Rule(String kind, Set<String> prefixes, Pattern pattern, KmsgRules.Action action, Category category,
            NodeFrom nodeFrom, String reason) {
    }

    static final String LDISKFS = "LDISKFS-fs";
    private static final Set<String> LUSTRE = Set.of("Lustre", "LustreError", "LNet", "LNetError");
    private static final Set<String> ERRORS = Set.of("LustreError");
    private static final Set<String> LNET = Set.of("LNet", "LNetError");
    private static final Set<String> ALL = Set.of("Lustre", "LustreError", "LNet", "LNetError", LDISKFS);
    private static final Set<String> DISK = Set.of(LDISKFS);

    private static final NodeFrom T = NodeFrom.TARGET;
    private static final NodeFrom N = NodeFrom.NID;

    /** A NID as printed after "No route to" (the 12345- process id before it is skipped). */
    private static final String NID_TEXT = "(?:\\d{1,10}-)?(?<nid>[0-9A-Za-z.:]{1,48}@[a-z][a-z0-9]{0,15})";

    private static Rule trap(String kind, Set<String> prefixes, String regex, Category c, NodeFrom from, String reason) {
        return new Rule(kind, prefixes, Pattern.compile(regex), KmsgRules.Action.TRAP, c, from, reason);
    }

    private static Rule ignore(String kind, Set<String> prefixes, String regex, String reason) {
        return new Rule(kind, prefixes, Pattern.compile(regex), KmsgRules.Action.IGNORE, null, T, reason);
    }

    static final List<Rule> RULES = List.of(
        new Rule("repeat", LUSTRE, Pattern.compile("\\bSkipped (\\d{1,19}) previous similar messages?\\b"),
            KmsgRules.Action.REPEAT, null, T,
            "libcfs rate limiting: the message before it happened N more times; counted, not a new trap"),
        trap("assertion", LUSTRE, "ASSERTION\\(", Category.FATAL, T,
            "LASSERT/LASSERTF: a kernel thread stopped on a broken invariant; LBUG follows, the node must be rebooted"),
        trap("lbug", LUSTRE, "\\bLBUG\\b", Category.FATAL, T,
            "Lustre bug: the thread is dead, usually the node panics or hangs; nothing recovers without a reboot"),
        trap("not-healthy", LUSTRE, "NOT HEALTHY", Category.FATAL, T,
            "what health_check reports; the tree scan raises Fatal for the same state, so both sources agree"),
        trap("device-unhealthy", LUSTRE, "device reported unhealthy", Category.FATAL, T,
            "a device that makes health_check read NOT HEALTHY (2.16+ console line); same severity as the scan's"),
        trap("read-only", ALL, "Remounting filesystem read-only", Category.CRITICAL, T,
            "the backing file system of a target hit an error and stopped writing (errors=remount-ro, Lustre's "
            + "default): the target refuses writes until it is checked and remounted"),
        trap("ldiskfs-error", DISK, "^error\\b", Category.CRITICAL, T,
            "ldiskfs found corruption or an I/O error in a target's backing file system (ldiskfs_error); the target "
            + "turns read-only next"),
        trap("ldiskfs-warning", DISK, "^warning\\b", Category.WARNING, T,
            "ldiskfs_warning: the backing file system works but something needs an fsck or a setting"),
        ignore("ldiskfs-info", DISK, "^",
            "ldiskfs mount and quota notices"),
        trap("went-back-in-time", LUSTRE, "went back in time", Category.CRITICAL, T,
            "ptlrpc/import.c: the server lost transactions it had told clients were committed (a storage cache "
            + "lost writes): data may be gone"),
        trap("lnet-no-route", LUSTRE, "\\b[Nn]o route (?:to " + NID_TEXT + "|available)|Route table may be misconfigured",
            Category.CRITICAL, N,
            "lnet/lib-move.c: nothing reaches that peer: every router to its network is down (\"all routers down\", "
            + "1.8-2.10 as Lustre:/LustreError: lnet_send(); \"no route to X from Y\" 2.12+), the router failure of a "
            + "storm; the peer's NID keeps the network (o2ib1) for the storm's \"router or network suspect\""),
        trap("lnet-startup", LUSTRE, "Error -?\\d{1,6} starting up LNI|Can't load (?:module|LND)\\b", Category.CRITICAL, T,
            "LNet or a Lustre module cannot start (105-4 starting up LNI, missing LND or OSD module): the node is off "
            + "the network or its targets cannot mount"),
        trap("conn-lost-fail",
            LUSTRE, "Connection to (?<peer>\\S{0,128}) \\(at (?<nid>\\S{1,128})\\) was lost; in progress operations using "
            + "this service will fail",
            Category.CRITICAL, T,
            "operations through this import fail instead of waiting (the 166-1 form, e.g. the MGS): users see errors"),
        trap("conn-lost", LUSTRE, "Connection to (?<peer>\\S{0,128}) \\(at (?<nid>\\S{1,128})\\) was lost", Category.WARNING, T,
            "operations wait for recovery and resume; usually restored in seconds. A target that stays away is raised "
            + "Critical by the tree scan; a router storm of these coalesces"),
        trap("conn-restored", LUSTRE, "Connection restored to (?<peer>\\S{0,128}) \\(at (?<nid>\\S{1,128})\\)", Category.INFO, T,
            "the end of a connection loss: good news (the remote uuid may print empty)"),
        trap("import-deactivated", LUSTRE, "setting import (?<peer>\\S{1,128}) INACTIVE by administrator request",
            Category.WARNING, T,
            "an administrator deactivated the import (lctl --device ... deactivate): expected, no new objects go to "
            + "that target; the scan reads it at once and keeps it apart from a lost connection"),
        trap("evicted-by", LUSTRE, "was evicted by (?<peer>[\\w-]{1,64})", Category.CRITICAL, T,
            "this node's client lost its locks; operations in flight fail and cached writes may be lost (167-0)"),
        trap("have-been-evicted", LUSTRE, "\\b(?:have|has) been evicted\\b", Category.CRITICAL, T,
            "same as evicted-by: state held for these clients is gone"),
        trap("recovery-all-evicted", LUSTRE,
            "Recovery over after \\S{1,32} of ([1-9]\\d{0,8}) clients? 0 recovered and \\1 (?:were|was) evicted",
            Category.CRITICAL, T,
            "ldlm_lib.c: no client came back in time: every client lost its uncommitted writes and open files"),
        trap("recovery-done-evicted", LUSTRE,
            "Recovery over after \\S{1,32} of \\d{1,9} clients? \\d{1,9} recovered and [1-9]\\d{0,8} (?:were|was) evicted",
            Category.WARNING, T,
            "recovery finished but some clients did not come back and lost their uncommitted state"),
        trap("recovery-done", LUSTRE, "Recovery over after ", Category.INFO, T,
            "the target is back in service with all its clients"),
        trap("recovery-start", LUSTRE, "Will be in recovery for at least |starting recovery timer", Category.INFO, T,
            "the target restarted and waits for its clients; new clients wait until recovery ends"),
        trap("mount-failed", LUSTRE, "Confi?guration from log |Unable to mount ", Category.CRITICAL, T,
            "a target or client could not get its configuration from the MGS (15c-8, \"Confguration\" as Lustre "
            + "spells it) or could not mount: it is not serving"),
        trap("service-thread-watchdog", LUSTRE, "service thread pid \\d{1,10} (?:was inactive for|completed after)",
            Category.WARNING, T,
            "ptlrpc/service.c watchdog: a server thread hung or ran for a long time (deadlock, overload, slow "
            + "storage); requests queue behind it"),
        trap("bulk-io", LUSTRE, "Bulk IO (?:read|write) error|timeout on bulk|[Ee]viction on bulk", Category.WARNING, T,
            "target/tgt_handler.c, ldlm_lib.c: a bulk data transfer failed (network or client); the client retries, "
            + "many of them point at the network"),
        ignore("denying-new-client", LUSTRE, "[Dd]enying connection for new client",
            "new clients wait while a target recovers; the recovery traps tell the story"),
        trap("evict-dead-client", LUSTRE, "haven't heard from client \\S{1,128} \\(at (?<nid>\\S{1,128})\\) in \\d{1,10} seconds",
            Category.WARNING, N,
            "one client vanished (crash, network) and is evicted; one client is not a file-system problem, "
            + "many at once coalesce and name the network"),
        trap("evict-lock-timeout", LUSTRE, "lock callback timer expired after \\S{1,32} evicting client at (?<nid>\\S{1,128})",
            Category.WARNING, N,
            "a client did not give back a lock in time and is evicted; it loses its state, the server goes on"),
        trap("evict-admin", LUSTRE, "evicting \\S{1,128} (?:\\(at (?<nid>\\S{1,128})\\) )?(?:by|at) admini?strative request",
            Category.INFO, N,
            "an administrator asked for it"),
        trap("rc-error-severe", ERRORS, "\\brc = -(?:5|28|30|117)\\b", Category.CRITICAL, T,
            "EIO, ENOSPC, EROFS (a target remounted read-only after an error) or EUCLEAN (corruption): data at risk"),
        trap("op-failed", LUSTRE, "operation \\S{1,64} to node (?<nid>\\S{1,128}) failed: rc = -\\d{1,6}", Category.WARNING, T,
            "one RPC to that target failed; the import retries, a lasting failure shows as a lost connection"),
        trap("not-available", LUSTRE, "Not available for connect from (?<nid>\\S{1,128})", Category.WARNING, T,
            "the target is starting, stopping or not set up and refuses connections; clients retry"),
        trap("failover", LUSTRE, "Failing over (?<peer>[\\w-]{1,64})", Category.INFO, T,
            "a planned stop (umount or HA move); the lost connections that follow tell the impact"),
        trap("umount", LUSTRE, "server umount (?<peer>[\\w-]{1,64}) complete", Category.INFO, T,
            "a target was stopped on purpose"),
        trap("lnet-timeout", LNET, "\\b(?:[Tt]imed out|timeout)\\b", Category.WARNING, N,
            "one peer does not answer; the Lustre lost-connection traps tell which targets suffer"),
        ignore("request-timeout", LUSTRE, "Request sent has (?:timed out|failed due to network error)",
            "every RPC in flight prints one; the 'Connection ... was lost' line that follows is the trap"),
        trap("lustre-error", ERRORS, "^", Category.WARNING, T,
            "an error the table does not name: shown rather than lost, Warning as its impact is unknown"),
        trap("lnet-error", Set.of("LNetError"), "^", Category.WARNING, N,
            "an LNet error the table does not name: shown rather than lost"),
        ignore("lustre-info", Set.of("Lustre", "LNet"), "^",
            "console chatter: connections, orphan cleanup, versions, recovery progress"));

    private KmsgRuleTable() {
    }
}
