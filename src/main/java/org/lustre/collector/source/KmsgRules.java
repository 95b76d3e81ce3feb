package org.lustre.collector.source;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lustre.collector.trap.Category;

/**
 * The one table that turns kernel console messages from Lustre and LNet into traps
 * (DESIGN.md "Traps: where they come from", kernel log).
 *
 * <p>Only lines whose text starts with {@code Lustre:}, {@code LustreError:}, {@code LNet:} or
 * {@code LNetError:} are looked at; all others (other drivers, "Kernel panic - not syncing: LBUG",
 * which repeats the LBUG line before it) are ignored, not errors. Before matching, the
 * {@code pid:ext:(file.c:line:function())} location and the {@code NN-N:} console code (gone in
 * 2.16, LU-17844) are cut from the text, so one pattern serves 2.1 to 2.17. Rules are tried in
 * order; the first whose pattern is found decides. The text matched is {@code "Prefix: body"}.
 *
 * <p>Node: a rule's {@code peer} group when it names a target ({@code fs-OSTxxxx},
 * {@code fs-MDTxxxx}) or the MGS, else the first target name in the text (the device prefix such as
 * {@code lustrefs-OST0003-osc-MDT0000} or {@code lustrefs-OST0003_UUID} gives
 * {@code lustrefs-OST0003}), else the first NID. Rules marked "nid" are about a client or peer
 * host and take the NID first ({@code nid} group, else the first NID in the text). fs: the
 * prefix of the node's target name, else of the first target name in the text, else "".
 * Message: the body, plus {@code [file.c:line:function()]} when the line had a location, so an
 * LBUG says where. Stateless; any thread may call it.
 */
final class KmsgRules {

    /** What a console message is. */
    enum Action {
        /** Raise a trap. */
        TRAP,
        /** "Skipped N previous similar messages": add N to the last trap from the kernel log. */
        REPEAT,
        /** Not a trap (not Lustre, or Lustre chatter). */
        IGNORE
    }

    /**
     * The verdict on one message.
     *
     * @param action   trap, repeat or ignore
     * @param kind     the rule's name (event kind), "not-lustre" for foreign lines
     * @param category for TRAP, else null
     * @param fs       file system or ""
     * @param node     target name, "MGS", a NID, or ""
     * @param message  trap text (body and location)
     * @param count    for REPEAT: N; else 0
     */
    record Match(Action action, String kind, Category category, String fs, String node, String message, int count) {
    }

    private enum NodeFrom { TARGET, NID }

    private record Rule(String kind, Pattern pattern, Action action, Category category, NodeFrom nodeFrom, String reason) {
    }

    private static Rule trap(String kind, String regex, Category c, NodeFrom from, String reason) {
        return new Rule(kind, Pattern.compile(regex), Action.TRAP, c, from, reason);
    }

    private static Rule ignore(String kind, String regex, String reason) {
        return new Rule(kind, Pattern.compile(regex), Action.IGNORE, null, NodeFrom.TARGET, reason);
    }

    private static final NodeFrom T = NodeFrom.TARGET;
    private static final NodeFrom N = NodeFrom.NID;

    /** THE table. Order matters: specific before generic. Each reason is why this category. */
    private static final List<Rule> RULES = List.of(
        new Rule("repeat", Pattern.compile("\\bSkipped (\\d+) previous similar messages?\\b"), Action.REPEAT, null, T,
            "libcfs rate limiting: the message before it happened N more times; counted, not a new trap"),
        trap("assertion", "ASSERTION\\( .* \\) failed", Category.FATAL, T,
            "a kernel thread stopped on a broken invariant; LBUG follows, the node must be rebooted"),
        trap("lbug", "\\bLBUG\\b", Category.FATAL, T,
            "Lustre bug: the thread is dead, usually the node panics or hangs; nothing recovers without a reboot"),
        trap("not-healthy", "NOT HEALTHY", Category.FATAL, T,
            "what health_check reports; the tree scan raises Fatal for the same state, so both sources agree"),
        trap("device-unhealthy", "device reported unhealthy", Category.FATAL, T,
            "a device that makes health_check read NOT HEALTHY (2.16+ console line); same severity as the scan's"),
        trap("conn-lost-fail", "Connection to (?<peer>\\S+) \\(at (?<nid>\\S+)\\) was lost; in progress operations using this service will fail",
            Category.CRITICAL, T,
            "operations through this import fail instead of waiting (the 166-1 form, e.g. the MGS): users see errors"),
        trap("conn-lost", "Connection to (?<peer>\\S+) \\(at (?<nid>\\S+)\\) was lost", Category.WARNING, T,
            "operations wait for recovery and resume; usually restored in seconds. A target that stays away is raised "
            + "Critical by the tree scan; a router storm of these coalesces"),
        trap("conn-restored", "Connection restored to (?<peer>\\S+) \\(at ", Category.INFO, T,
            "the end of a connection loss: good news"),
        trap("evicted-by", "was evicted by (?<peer>[\\w-]+)", Category.CRITICAL, T,
            "this node's client lost its locks; operations in flight fail and cached writes may be lost (167-0)"),
        trap("have-been-evicted", "\\b(?:have|has) been evicted\\b", Category.CRITICAL, T,
            "same as evicted-by: state held for these clients is gone"),
        trap("recovery-done-evicted", "Recovery over after \\S+ of \\d+ clients? \\d+ recovered and [1-9]\\d* (?:were|was) evicted",
            Category.WARNING, T,
            "recovery finished but some clients did not come back and lost their uncommitted state"),
        trap("recovery-done", "Recovery over after ", Category.INFO, T,
            "the target is back in service with all its clients"),
        trap("recovery-start", "Will be in recovery for at least ", Category.INFO, T,
            "the target restarted and waits for its clients; new clients wait until recovery ends"),
        trap("evict-dead-client", "haven't heard from client \\S+ \\(at (?<nid>\\S+)\\) in \\d+ seconds", Category.WARNING, N,
            "one client vanished (crash, network) and is evicted; one client is not a file-system problem, "
            + "many at once coalesce and name the network"),
        trap("evict-lock-timeout", "lock callback timer expired after \\S+ evicting client at (?<nid>\\S+)", Category.WARNING, N,
            "a client did not give back a lock in time and is evicted; it loses its state, the server goes on"),
        trap("evict-admin", "evicting \\S+ (?:\\(at (?<nid>\\S+)\\) )?(?:by|at) admini?strative request", Category.INFO, N,
            "an administrator asked for it"),
        trap("rc-error-severe", "^LustreError: .*\\brc = -(?:5|28|30|117)\\b", Category.CRITICAL, T,
            "EIO, ENOSPC, EROFS (a target remounted read-only after an error) or EUCLEAN (corruption): data at risk"),
        trap("op-failed", "operation \\S+ to node (?<nid>\\S+) failed: rc = -\\d+", Category.WARNING, T,
            "one RPC to that target failed; the import retries, a lasting failure shows as a lost connection"),
        trap("not-available", "Not available for connect from (?<nid>\\S+)", Category.WARNING, T,
            "the target is starting, stopping or not set up and refuses connections; clients retry"),
        trap("failover", "Failing over (?<peer>[\\w-]+)", Category.INFO, T,
            "a planned stop (umount or HA move); the lost connections that follow tell the impact"),
        trap("umount", "server umount (?<peer>[\\w-]+) complete", Category.INFO, T,
            "a target was stopped on purpose"),
        trap("lnet-router-down", "^LNet(?:Error)?: .*\\b[Rr]outer\\b.*\\b(?:down|dead)\\b", Category.CRITICAL, N,
            "a router is gone: every target behind it is unreachable until another route works"),
        trap("lnet-no-route", "^LNet(?:Error)?: .*\\bNo route to\\b", Category.CRITICAL, N,
            "nothing reaches that peer (no router up on the way)"),
        trap("lnet-timeout", "^LNet(?:Error)?: .*\\b(?:[Tt]imed out|timeout)\\b", Category.WARNING, N,
            "one peer does not answer; the Lustre lost-connection traps tell which targets suffer"),
        ignore("request-timeout", "Request sent has (?:timed out|failed due to network error)",
            "every RPC in flight prints one; the 'Connection ... was lost' line that follows is the trap"),
        trap("lustre-error", "^LustreError: ", Category.WARNING, T,
            "an error the table does not name: shown rather than lost, Warning as its impact is unknown"),
        trap("lnet-error", "^LNetError: ", Category.WARNING, N,
            "an LNet error the table does not name: shown rather than lost"),
        ignore("lustre-info", "^(?:Lustre|LNet): ",
            "console chatter: connections, orphan cleanup, versions, recovery progress"));

    private static final Pattern PREFIX = Pattern.compile("^(LustreError|Lustre|LNetError|LNet): ");
    /** {@code 1246375:0:(dcache.c:136:ll_ddelete()) } */
    private static final Pattern LOCATION = Pattern.compile("^\\d+:\\d+:\\(([^\\s()]+:\\d+:[^\\s()]+\\(\\))\\) ");
    /** {@code 11-0: }, {@code 15c-8: } (errnum and checksum in hex; gone from 2.16 on) */
    private static final Pattern CODE = Pattern.compile("^[0-9a-f]{1,4}-[0-9a-f]{1,2}: ");
    /** fsname-OSTxxxx / fsname-MDTxxxx; fsname is 1-8 of [A-Za-z0-9_-]. */
    private static final Pattern TARGET = Pattern.compile(
            "(?<![A-Za-z0-9_.-])([A-Za-z0-9_][A-Za-z0-9_-]{0,7}?)-((?:OST|MDT)[0-9a-fA-F]{4})(?![0-9a-fA-F])");
    /** IPv4 LNet NID, also inside an MGC name ({@code MGC10.1.2.3@o2ib}), or the loopback NID. */
    private static final Pattern NID = Pattern.compile(
            "(?:(?<=MGC)|(?<![\\w.]))((?:\\d{1,3}\\.){3}\\d{1,3}@[a-z][a-z0-9]*|0@lo)(?![\\w.])");

    private static final Match NOT_LUSTRE = new Match(Action.IGNORE, "not-lustre", null, "", "", "", 0);

    private KmsgRules() {
    }

    /** Classifies one console message (the text after any timestamp or record header). Never throws. */
    static Match classify(String text) {
        Matcher p = PREFIX.matcher(text);
        if (!p.lookingAt()) {
            return NOT_LUSTRE;
        }
        String body = text.substring(p.end());
        String location = null;
        Matcher l = LOCATION.matcher(body);
        if (l.lookingAt()) {
            location = l.group(1);
            body = body.substring(l.end());
        }
        Matcher c = CODE.matcher(body);
        if (c.lookingAt()) {
            body = body.substring(c.end());
        }
        String normalized = p.group(1) + ": " + body;
        for (Rule r : RULES) {
            Matcher m = r.pattern.matcher(normalized);
            if (!m.find()) {
                continue;
            }
            switch (r.action) {
                case IGNORE:
                    return new Match(Action.IGNORE, r.kind, null, "", "", body, 0);
                case REPEAT:
                    int n;
                    try {
                        n = Integer.parseInt(m.group(1));
                    } catch (NumberFormatException e) {
                        n = Integer.MAX_VALUE;
                    }
                    return new Match(Action.REPEAT, r.kind, null, "", "", body, n);
                default:
                    String node = node(r, m, body);
                    String message = location == null ? body.strip() : body.strip() + " [" + location + "]";
                    return new Match(Action.TRAP, r.kind, r.category, fs(node, body), node, message, 0);
            }
        }
        return new Match(Action.IGNORE, "unmatched", null, "", "", body, 0); // unreachable: the last rule takes all
    }

    private static String node(Rule r, Matcher m, String body) {
        if (r.nodeFrom == NodeFrom.NID) {
            String nid = group(m, "nid");
            if (nid != null) {
                Matcher n = NID.matcher(nid);
                if (n.find()) {
                    return n.group(1);
                }
            }
            String any = first(NID, body);
            if (any != null) {
                return any;
            }
            String target = firstTarget(body);
            return target == null ? "" : target;
        }
        String peer = group(m, "peer");
        if (peer != null) {
            String t = firstTarget(peer);
            if (t != null) {
                return t;
            }
            if (peer.equals("MGS")) {
                return "MGS";
            }
        }
        String t = firstTarget(body);
        if (t != null) {
            return t;
        }
        String nid = first(NID, body);
        return nid == null ? "" : nid;
    }

    private static String fs(String node, String body) {
        Matcher t = TARGET.matcher(node);
        if (t.matches()) {
            return t.group(1);
        }
        t = TARGET.matcher(body);
        return t.find() ? t.group(1) : "";
    }

    private static String firstTarget(String s) {
        Matcher t = TARGET.matcher(s);
        return t.find() ? t.group(1) + "-" + t.group(2) : null;
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }

    private static String group(Matcher m, String name) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null; // this rule's pattern has no such group
        }
    }

    /** The table as text (kind, action/category, pattern, reason), for docs and tests. */
    static List<String> describe() {
        return RULES.stream()
                .map(r -> r.kind + "\t" + (r.category == null ? r.action : r.category.label()) + "\t" + r.pattern.pattern()
                        + "\t" + r.reason)
                .toList();
    }
}
