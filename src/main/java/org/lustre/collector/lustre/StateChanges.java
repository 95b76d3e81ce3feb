package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * Turns the difference between two scans into traps (source {@code "scan"}): a lost connection
 * (see {@link NodeState}) Critical, responding again Info; deactivated by the administrator
 * Warning, activated again Info; a recovery over with clients evicted Warning (Critical when it
 * evicted every client), once per recovery; {@code health_check} turning to anything but
 * {@code healthy} (or from one bad status to another) Fatal, healthy again Info; an OST past
 * 95% used Warning, back under Info. For the first snapshot ({@code before} empty) only problems
 * are reported, never "came back". A node absent from {@code before} counts as having been
 * responding and not full; a node whose space is unknown (-1) keeps its previous status.
 *
 * <p><b>health_check node:</b> health is per MDS, not per target; its trap names the first local
 * MDT (by name) of {@code after} as node, and that MDT's file system, so the traps of the two MDS
 * of a pair differ; "" when this MDS has no MDT mounted.
 *
 * <p><b>Ids</b> come from content only, so the two collectors of an MDS pair give the same event
 * the same id: {@code scan:<node>:<new state>:<epoch seconds>}, the epoch being when the import
 * entered that state according to its {@code state_history} (see {@link LustreScanner#stateSince}),
 * else the scan time rounded down to the minute. Administrative changes use
 * {@code DEACTIVATED}/{@code ACTIVATED} and the minute; INACTIVE in target_obd
 * {@code INACTIVE}/{@code ACTIVE}; recovery {@code RECOVERY_EVICTED} and the recovery's start;
 * health {@code HEALTH_<status>}; space {@code FULL95}/{@code BELOW95}, with the minute.
 *
 * <p>Stateless; any thread.
 */
public final class StateChanges {
    static final double FULL_RATIO = 0.95;
    public static final String SOURCE = "scan";

    private StateChanges() {
    }

    /** As {@link #diff(LustreSnapshot, LustreSnapshot, ToLongFunction)} with no state_history epochs. */
    public static List<TrapEvent> diff(LustreSnapshot before, LustreSnapshot after) {
        return diff(before, after, node -> -1);
    }

    /**
     * @param stateSince when a node entered its current import state, epoch seconds, -1 unknown
     *                   (normally {@code scanner::stateSince})
     * @return the traps, health first, then nodes by name
     */
    public static List<TrapEvent> diff(LustreSnapshot before, LustreSnapshot after, ToLongFunction<String> stateSince) {
        boolean first = before == null || before.nodes().isEmpty() && before.health().isEmpty();
        LustreSnapshot prev = before == null ? LustreSnapshot.EMPTY : before;
        long minute = Math.floorDiv(after.scanMillis(), 60_000L) * 60;
        List<TrapEvent> out = new ArrayList<>();
        health(prev, after, first, minute, out);
        for (NodeState a : nodesToCompare(prev, after)) {
            NodeState b = prev.nodes().get(a.name());
            active(a, b, first, minute, after.scanMillis(), out);
            responding(a, b, first, minute, after.scanMillis(), stateSince, out);
            space(a, b, first, minute, after.scanMillis(), out);
            recovery(a, b, minute, after.scanMillis(), out);
        }
        return out;
    }

    /**
     * The nodes of {@code after} in name order, leaving out the file systems whose node map the
     * scanner handed on unchanged from {@code before} (the same map object): at 100,000 OSTs most
     * scans change a few file systems, and comparing every node would be most of a diff.
     */
    private static Iterable<NodeState> nodesToCompare(LustreSnapshot before, LustreSnapshot after) {
        List<NodeState> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, NodeState>> e : after.nodesByFs().entrySet()) {
            if (e.getValue() != before.nodesOf(e.getKey())) {
                out.addAll(new TreeMap<>(e.getValue()).values());
            }
        }
        return out;
    }

    /** Deactivated by the administrator (or activated again): expected, so a Warning, not Critical. */
    private static void active(NodeState a, NodeState b, boolean first, long minute, long scanMillis,
                               List<TrapEvent> out) {
        boolean was = b == null || b.active();
        if (was && !a.active()) {
            out.add(event("DEACTIVATED", minute, scanMillis, Category.WARNING, a,
                    a.name() + " deactivated by the administrator (INACTIVE)"));
        } else if (!was && a.active() && !first) {
            out.add(event("ACTIVATED", minute, scanMillis, Category.INFO, a, a.name() + " activated again"));
        }
    }

    private static void responding(NodeState a, NodeState b, boolean first, long minute, long scanMillis,
                                   ToLongFunction<String> stateSince, List<TrapEvent> out) {
        boolean was = b == null || b.responding();
        if (was && !a.responding()) {
            if (!ImportStates.lost(a.state())) {
                // The import looks fine: a target served here whose node is unhealthy (the health
                // trap says more), or target_obd says INACTIVE (statfs failed with ENOTCONN).
                String why = a.local() ? "unhealthy" : "INACTIVE";
                out.add(event(why.toUpperCase(Locale.ROOT), minute, scanMillis, Category.CRITICAL, a,
                        a.name() + " not responding (" + why + ")"));
            } else {
                long since = stateSince.applyAsLong(a.name());
                out.add(event(a.state(), since >= 0 ? since : minute, since >= 0 ? since * 1000 : scanMillis,
                        Category.CRITICAL, a, a.name() + " not responding (state " + a.state() + ")"));
            }
        } else if (!was && a.responding() && !first) {
            String how = a.state().isEmpty() ? "" : " (state " + a.state() + ")";
            if (!ImportStates.lost(b.state())) {
                out.add(event("ACTIVE", minute, scanMillis, Category.INFO, a, a.name() + " responding again" + how));
            } else {
                long since = stateSince.applyAsLong(a.name());
                String state = a.state().isEmpty() ? "RESPONDING" : a.state();
                out.add(event(state, since >= 0 ? since : minute, since >= 0 ? since * 1000 : scanMillis,
                        Category.INFO, a, a.name() + " responding again" + how));
            }
        }
    }

    /**
     * A recovery that ended with clients evicted (their uncommitted work is lost): Warning, Critical
     * when every client was evicted. Raised once per recovery (its start time is in the id).
     */
    private static void recovery(NodeState a, NodeState b, long minute, long scanMillis, List<TrapEvent> out) {
        RecoveryStatus r = a.recovery();
        if (!r.completedWithEvictions()) {
            return;
        }
        if (b != null && b.recovery().completedWithEvictions() && b.recovery().startEpoch() == r.startEpoch()) {
            return;
        }
        boolean all = r.completedClients() == 0;
        String of = r.totalClients() >= 0 ? " of " + r.totalClients() : "";
        out.add(event("RECOVERY_EVICTED", r.startEpoch() >= 0 ? r.startEpoch() : minute, scanMillis,
                all ? Category.CRITICAL : Category.WARNING, a, a.name() + " recovery over: " + r.evictedClients() + of
                        + " clients evicted" + (r.durationSeconds() >= 0 ? " (took " + r.durationSeconds() + " s)" : "")));
    }

    private static void space(NodeState a, NodeState b, boolean first, long minute, long scanMillis,
                              List<TrapEvent> out) {
        boolean was = b != null && isFull(b);
        boolean now = a.kbytesTotal() > 0 && a.kbytesFree() >= 0 ? isFull(a) : was;
        if (!was && now) {
            out.add(event("FULL95", minute, scanMillis, Category.WARNING, a,
                    a.name() + " " + percentUsed(a) + " full (" + a.kbytesFree() + " of " + a.kbytesTotal() + " KiB free)"));
        } else if (was && !now && !first) {
            out.add(event("BELOW95", minute, scanMillis, Category.INFO, a,
                    a.name() + " back under 95% full (" + percentUsed(a) + ")"));
        }
    }

    private static void health(LustreSnapshot before, LustreSnapshot after, boolean first, long minute,
                               List<TrapEvent> out) {
        String was = status(before.health());
        String now = status(after.health());
        boolean raise = unhealthy(now) && !now.equals(was);
        boolean clear = unhealthy(was) && now.equals("healthy") && !first;
        if (!raise && !clear) {
            return;
        }
        String node = "";
        String fs = "";
        for (NodeState n : new TreeMap<>(after.nodes()).values()) {
            if (n.kind().equals("MDT")) {
                node = n.name();
                fs = n.fs();
                break;
            }
        }
        long millis = after.scanMillis();
        if (raise) {
            out.add(new TrapEvent(id(node, "HEALTH_" + now.replace(' ', '_'), minute), millis, Category.FATAL, fs, node,
                    "health_check: " + after.health(), SOURCE));
        } else {
            out.add(new TrapEvent(id(node, "HEALTH_healthy", minute), millis, Category.INFO, fs, node,
                    "health_check: healthy again", SOURCE));
        }
    }

    private static TrapEvent event(String state, long epoch, long millis, Category c, NodeState n, String message) {
        return new TrapEvent(id(n.name(), state, epoch), millis, c, n.fs(), n.name(), message, SOURCE);
    }

    private static String id(String node, String state, long epochSeconds) {
        return SOURCE + ":" + node + ":" + state + ":" + epochSeconds;
    }

    static boolean isFull(NodeState n) {
        return n.kbytesTotal() > 0 && n.kbytesFree() >= 0
                && (double) (n.kbytesTotal() - n.kbytesFree()) / n.kbytesTotal() > FULL_RATIO;
    }

    private static String percentUsed(NodeState n) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * (n.kbytesTotal() - n.kbytesFree()) / n.kbytesTotal());
    }

    /** The status part of {@link LustreSnapshot#health()} (without the device list). */
    private static String status(String health) {
        int paren = health.indexOf(" (");
        return paren < 0 ? health : health.substring(0, paren);
    }

    private static boolean unhealthy(String status) {
        return !status.isEmpty() && !status.equals("healthy");
    }
}
