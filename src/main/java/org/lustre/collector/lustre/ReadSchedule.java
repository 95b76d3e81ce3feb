package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which targets one scan reads, and how much of each. Three kinds of read:
 * <ul>
 *   <li><b>Priority</b>: targets a source named (a kernel-log disconnect, a trap), read in full
 *       first, at most one budget per scan (a router storm naming 10,000 OSTs is worked off over
 *       a few scans), at most {@value #MAX_URGENT} remembered.</li>
 *   <li><b>Round robin</b>: {@code budget} targets read in full (space, active, peer, and the
 *       connection), a cursor walking the targets reached through OSP devices and wrapping: each is re-read every
 *       ceil(N / budget) scans (at 100,000 OSTs and 250, every 400 scans).</li>
 *   <li><b>Sweep</b>: the connection state alone (one short line per OSP device, see
 *       {@link TargetReads#connection}), ceil(N / sweepScans) targets per scan with a second
 *       cursor, so every target's connection is re-read within {@code sweepScans} scans, that
 *       is within the {@code sweep} option's seconds, kernel log or not: a change just after a
 *       target's read is seen at most sweepScans scans later.</li>
 * </ul>
 * A sweep of 0 scans turns the sweep off (tests of the round robin alone).
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
    /** Every target by name (the scanner's map); written by the scan thread, read by {@link #prioritize} from any thread. */
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
     * A new target list (after a discovery) and the same targets by name; the cursors keep their
     * place as far as it exists. Targets served here (local) are left out: the scanner reads
     * them every scan.
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

    /**
     * The targets sources named since they were last taken, first named first, at most one budget
     * (the rest wait for the next call). Scan thread only.
     */
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

    /** The reads of the next scan, and the cursors moved past them. */
    Plan next() {
        List<Target> full = named();
        full.addAll(roundRobin.next(remote, budget));
        return new Plan(full, sweep.next(remote, sweepPerScan()));
    }
}
