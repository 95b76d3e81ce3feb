package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which targets one scan reads, and how much of each (docs/lustre-layout.md, "Reading schedule"):
 * <ul>
 *   <li><b>Priority</b>: targets a source named, in full, first; at most one budget per scan (a
 *       router storm naming 10,000 OSTs is worked off over a few scans), at most
 *       {@value #MAX_URGENT} remembered.</li>
 *   <li><b>Round robin</b>: {@code budget} targets in full, from a cursor over the targets
 *       reached through OSP devices.</li>
 *   <li><b>Sweep</b>: the connection state alone ({@link TargetReads#connection}) of
 *       ceil(N / sweepScans) targets per scan, so that every target's connection is re-read
 *       within the {@code sweep} option's seconds, kernel log or not. 0 sweep scans: no sweep.</li>
 * </ul>
 *
 * <p>Threads: {@link #prioritize} from any thread; the rest from the scan thread only.
 */
final class ReadSchedule {
    static final int MAX_URGENT = 200_000;

    /** What one scan reads. */
    record Plan(List<Target> full, List<Target> sweep) {
    }

    /** A place in a list that wraps around: each call takes the next entries and moves past them. */
    static final class Cursor {
        private int at;

        /** The next {@code k} entries of {@code list} (all of them when it has fewer). */
        <T> List<T> next(List<T> list, int k) {
            int n = list.size();
            int take = Math.min(k, n);
            List<T> out = new ArrayList<>(take);
            if (n == 0) {
                return out;
            }
            at %= n;
            for (int i = 0; i < take; i++) {
                out.add(list.get((at + i) % n));
            }
            at = (at + take) % n;
            return out;
        }
    }

    private final int budget;
    private final int sweepScans;
    /** In the order the sources named them: a storm's first targets are read first. Guarded by itself. */
    private final Set<String> urgent = new java.util.LinkedHashSet<>();
    /** Targets reached through OSP devices only (the round robin's and the sweep's). */
    private List<Target> remote = List.of();
    /** The scanner's map; written by the scan thread, read by {@link #prioritize} from any thread. */
    private volatile Map<String, Target> byName = Map.of();
    private final Cursor roundRobin = new Cursor();
    private final Cursor sweep = new Cursor();

    /**
     * @param budget     targets read in full per scan by the round robin (and at most as many priority reads)
     * @param sweepScans scans within which every target's connection is re-read; 0 = no sweep
     */
    ReadSchedule(int budget, int sweepScans) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1: " + budget);
        }
        if (sweepScans < 0) {
            throw new IllegalArgumentException("sweepScans must not be negative: " + sweepScans);
        }
        this.budget = budget;
        this.sweepScans = sweepScans;
    }

    /**
     * A new target list and the same targets by name; the cursors keep their place. Targets
     * served here are left out: the scanner reads them itself.
     */
    void targets(List<Target> all, Map<String, Target> byName) {
        remote = all.stream().filter(t -> !t.local()).toList();
        this.byName = byName;
    }

    /**
     * Read this target first at the next scan or read of named targets; true when it is a target
     * of the round robin, false for other names (a NID, "MGS", a target served here). Before the
     * first discovery every name waits for the first scan (the kernel log's history comes first).
     * Any thread.
     */
    boolean prioritize(String name) {
        Map<String, Target> known = byName;
        Target t = known.get(name);
        if (!known.isEmpty() && (t == null || t.local())) {
            return false;
        }
        synchronized (urgent) {
            if (urgent.size() < MAX_URGENT) {
                urgent.add(name);
            }
        }
        return !known.isEmpty();
    }

    /** The targets sources named since the last call, first named first, at most one budget. */
    List<Target> named() {
        List<Target> out = new ArrayList<>();
        synchronized (urgent) {
            for (var it = urgent.iterator(); it.hasNext() && out.size() < budget; ) {
                Target t = byName.get(it.next());
                it.remove();
                if (t != null && !t.local()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** Targets per scan of the sweep: ceil(N / sweepScans); 0 without a sweep. */
    int sweepPerScan() {
        int n = remote.size();
        return sweepScans == 0 || n == 0 ? 0 : (n + sweepScans - 1) / sweepScans;
    }

    /** The reads of the next scan. */
    Plan next() {
        List<Target> full = named();
        full.addAll(roundRobin.next(remote, budget));
        return new Plan(full, sweep.next(remote, sweepPerScan()));
    }
}
