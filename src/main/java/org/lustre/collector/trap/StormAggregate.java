package org.lustre.collector.trap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One storm being coalesced: the members of one {@link StormKey} (or of a catch-all) that
 * arrived after the storm threshold was crossed, until it is published as one {@link Trap}.
 * Memory is fixed whatever the member count: counters, at most {@code maxNodeNames} names and
 * a tally of at most {@link #TRACKED_NETS} LNet networks. Confined to the store's writer thread.
 */
final class StormAggregate {

    /** Networks counted by name; members naming further ones only count as "other". */
    static final int TRACKED_NETS = 4;
    /** What a coalesced trap's id adds to its first member's. */
    static final String STORM_SUFFIX = "~storm";

    private final StormKey key;
    private final String id;
    private final String source;
    private final String firstNode;
    private final String firstPattern;
    private final long eventTimeMillis;
    /** Whether the first member was read back from history (the store then times it by its event). */
    private final boolean history;
    private final long firstMillis;
    private final int maxNodeNames;
    private final List<String> nodes = new ArrayList<>();
    private final String[] nets = new String[TRACKED_NETS];
    private final long[] netCounts = new long[TRACKED_NETS];
    private long lastMillis;
    private long members;
    private long count;
    /** Store sequence number once published, 0 while pending. */
    private long seq;
    /** The coalescer's record of this aggregate's key while it is open (the coalescer's to manage). */
    StormCoalescer.Tracked tracked;

    /**
     * @param key      what the aggregate collects: the first member's key, or a catch-all
     * @param firstKey the first member's own key (its pattern and network)
     */
    StormAggregate(StormKey key, StormKey firstKey, TrapEvent first, long nowMillis, int maxNodeNames,
                   boolean history) {
        this.history = history;
        this.key = key;
        // bounded before the suffix, so an id at the limit still ends in "~storm" once stored
        this.id = TextBound.id(first.id(), TrapEvent.MAX_NAME_BYTES - STORM_SUFFIX.length()) + STORM_SUFFIX;
        this.source = first.source();
        this.firstNode = first.node();
        this.firstPattern = firstKey.pattern();
        this.eventTimeMillis = first.eventTimeMillis();
        this.firstMillis = nowMillis;
        this.maxNodeNames = maxNodeNames;
        add(first, firstKey.network(), nowMillis);
    }

    /**
     * @param network the LNet network of the member's first NID ({@link StormKey#network()}), or null
     */
    void add(TrapEvent e, String network, long nowMillis) {
        lastMillis = Math.max(lastMillis, nowMillis);
        members++;
        count++;
        String node = e.node();
        if (!node.isEmpty() && nodes.size() < maxNodeNames && !nodes.contains(node)) {
            nodes.add(node);
        }
        tallyNet(network);
    }

    /** "Skipped N previous similar messages" after a member: N more events, no new member text. */
    void addRepeats(int n) {
        count += n;
    }

    private void tallyNet(String net) {
        if (net == null) {
            return;
        }
        for (int i = 0; i < TRACKED_NETS; i++) {
            if (nets[i] == null) {
                nets[i] = net;
            }
            if (nets[i].equals(net)) {
                netCounts[i]++;
                return;
            }
        }
    }

    /** When this aggregate must be published: quiet for a window, or held for the hold time. */
    long deadline(StormPolicy policy) {
        return Math.min(lastMillis + policy.windowMillis(), firstMillis + policy.holdMillis());
    }

    boolean history() {
        return history;
    }

    long eventTimeMillis() {
        return eventTimeMillis;
    }

    long seq() {
        return seq;
    }

    /** The network at least 90% of the members' messages name, or null. */
    String suspectNetwork() {
        for (int i = 0; i < TRACKED_NETS && nets[i] != null; i++) {
            if (netCounts[i] * 10 >= members * 9) {
                return nets[i];
            }
        }
        return null;
    }

    /** Marks it published under {@code seq} and builds the record readers will see. */
    Trap publish(long seq, long timeSec) {
        this.seq = seq;
        int n = (int) Math.min(count, Integer.MAX_VALUE);
        return new Trap(seq, id, timeSec, Math.floorDiv(eventTimeMillis, 1000), key.category(), key.fs(),
                firstNode, summary(), n, source, nodes);
    }

    /**
     * "lustrefs-OST*-osc-MDT0000: Connection to lustrefs-OST* (at *@o2ib1) was lost ...: 9,998 events
     * in 2 s; router or network suspect: o2ib1".
     */
    String summary() {
        StringBuilder sb = new StringBuilder(160);
        if (key.isCatchAll()) {
            sb.append("storm of several kinds (first: ").append(firstPattern).append(')');
        } else {
            sb.append(key.pattern());
        }
        sb.append(": ").append(String.format(Locale.ROOT, "%,d", count)).append(" events in ")
                .append(duration(lastMillis - firstMillis));
        String net = suspectNetwork();
        if (net != null) {
            sb.append("; router or network suspect: ").append(net);
        }
        return sb.toString();
    }

    private static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        return Math.round(millis / 1000.0) + " s";
    }
}
