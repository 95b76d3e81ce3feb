package org.lustre.collector.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Follows one or two collectors' trap streams and merges them into one, without the network: each
 * collector is a {@link Source} (a fetch function) and time comes from an injected clock, so the
 * whole cursor, dedup, gap and backoff logic is testable in memory.
 *
 * <h2>Per collector</h2>
 * A cursor (0 at first: everything the collector still holds), its {@code started} time and
 * {@code maxtraps} from getCollectorInfo (asked on first contact and after every failure), a state
 * (new, up, down) and a backoff. A round calls getTrapRecords until the collector has nothing more
 * (a short, empty or non-advancing batch; at most {@value #MAX_CALLS_PER_ROUND} calls).
 * <ul>
 * <li><b>Gaps.</b> {@code dropped} is reported as a {@link Gap}, except on the very first answer of
 * a collector, where it counts history from before this monitor started.</li>
 * <li><b>Failure.</b> The collector is skipped until now + backoff; backoff starts at
 * {@value #INITIAL_BACKOFF_MILLIS} ms, doubles, is capped at {@value #MAX_BACKOFF_MILLIS} ms and is
 * reset by the first answer. The cursor is kept, so a collector that comes back resumes where it
 * stopped.</li>
 * <li><b>Restart.</b> A collector restarted when getCollectorInfo's {@code started} changed, or when
 * it answers a cursor below ours (its newest sequence number is below what we read: numbering began
 * again). Then its cursor goes back to 0 and, from its catch-up on, its traps older than the newest
 * trap we had seen from it are skipped: they are the re-read kernel log we printed already.</li>
 * </ul>
 *
 * <h2>Merging</h2>
 * A round's traps from all collectors are sorted by {@link RemoteTrap#when()} (then receive time,
 * then id) and each id is delivered once: the ids delivered recently are remembered in an LRU set
 * of bounded size ({@code rememberIds}), enough for hours of traps, so memory stays bounded. Then
 * {@code --since} and {@code --min-category} filter.
 *
 * <p>Not thread-safe: one thread calls {@link #poll()}.
 */
final class TrapFollower {
    static final long INITIAL_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    static final int MAX_CALLS_PER_ROUND = 100;

    /** One collector. Called by the polling thread only. */
    interface Source {
        String name();

        /** getCollectorInfo; a fault means "not supported" and is tolerated. */
        CollectorInfo info() throws CollectorException;

        /** getTrapRecords(cursor, limit). */
        TrapBatch fetch(long cursor, int limit) throws CollectorException;
    }

    /**
     * @param limit        traps asked per call
     * @param sinceSeconds skip traps whose {@link RemoteTrap#when()} is older; Long.MIN_VALUE for none
     * @param minCategory  skip traps below this category code
     * @param rememberIds  how many recent ids the dedup keeps
     */
    record Settings(int limit, long sinceSeconds, int minCategory, int rememberIds) {
    }

    /** A trap to show, and the collector it came from first. */
    record Delivered(RemoteTrap trap, String source) {
    }

    /**
     * Traps a collector could not give us because they left its store first.
     *
     * @param afterRestart the collector had just restarted: some of them may have been shown before
     */
    record Gap(String source, long missed, boolean afterRestart) {
    }

    /**
     * A collector started or stopped answering, or restarted.
     *
     * @param error       the failure when it went down, else null
     * @param retryMillis when down: the delay before the next attempt
     */
    record StateChange(String source, boolean up, boolean restarted, CollectorException error, long retryMillis) {
    }

    /**
     * The outcome of one {@link #poll()}.
     *
     * @param polled    collectors asked this round (the others wait for their backoff)
     * @param answered  collectors that answered
     * @param lastError the last failure of this round, or null
     */
    record Round(List<Delivered> traps, List<Gap> gaps, List<StateChange> changes, int polled, int answered,
                 CollectorException lastError) {
    }

    private enum State { NEW, UP, DOWN }

    /** Per-collector progress. */
    private static final class Follow {
        final Source source;
        State state = State.NEW;
        long cursor;
        long started;
        int maxtraps;
        boolean needsInfo = true;
        boolean firstAnswer = true;
        long backoffMillis;
        long nextAttemptMillis;
        long newestSeen = Long.MIN_VALUE;
        long skipOlderThan = Long.MIN_VALUE;
        boolean restartedThisRound;

        Follow(Source source) {
            this.source = source;
        }
    }

    private record Fetched(RemoteTrap trap, Follow from) {
    }

    private static final Comparator<Fetched> ORDER = Comparator
            .comparingLong((Fetched f) -> f.trap().when())
            .thenComparingLong(f -> f.trap().time())
            .thenComparing(f -> f.trap().id());

    private final List<Follow> follows = new ArrayList<>();
    private final LongSupplier clockMillis;
    private final Settings settings;
    private final Map<String, Boolean> recentIds;

    TrapFollower(List<? extends Source> sources, LongSupplier clockMillis, Settings settings) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no collector to follow");
        }
        for (Source s : sources) {
            follows.add(new Follow(s));
        }
        this.clockMillis = clockMillis;
        this.settings = settings;
        int capacity = settings.rememberIds();
        this.recentIds = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Asks every collector that is due, merges what they sent. Never throws for a collector's failure. */
    Round poll() {
        long now = clockMillis.getAsLong();
        List<Fetched> fetched = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        int polled = 0;
        int answered = 0;
        CollectorException lastError = null;
        for (Follow f : follows) {
            if (f.state == State.DOWN && now < f.nextAttemptMillis) {
                continue;
            }
            polled++;
            f.restartedThisRound = false;
            try {
                pollOne(f, fetched, gaps);
                answered++;
                if (f.state == State.DOWN || f.restartedThisRound) {
                    changes.add(new StateChange(f.source.name(), true, f.restartedThisRound, null, 0));
                }
                f.state = State.UP;
                f.backoffMillis = 0;
            } catch (CollectorException e) {
                lastError = e;
                f.needsInfo = true;
                f.backoffMillis = f.backoffMillis == 0 ? INITIAL_BACKOFF_MILLIS
                        : Math.min(f.backoffMillis * 2, MAX_BACKOFF_MILLIS);
                f.nextAttemptMillis = now + f.backoffMillis;
                if (f.state != State.DOWN) {
                    changes.add(new StateChange(f.source.name(), false, false, e, f.backoffMillis));
                }
                f.state = State.DOWN;
            }
        }
        fetched.sort(ORDER);
        List<Delivered> out = new ArrayList<>();
        for (Fetched x : fetched) {
            RemoteTrap t = x.trap();
            long when = t.when();
            boolean replayed = when < x.from().skipOlderThan;
            x.from().newestSeen = Math.max(x.from().newestSeen, when);
            if (replayed) {
                continue; // not remembered either: it would push out ids that still matter
            }
            if (recentIds.put(t.id(), Boolean.TRUE) != null) {
                continue; // already delivered, from this collector or the other
            }
            if (t.category() < settings.minCategory() || when < settings.sinceSeconds()) {
                continue;
            }
            out.add(new Delivered(t, x.from().source.name()));
        }
        return new Round(out, gaps, changes, polled, answered, lastError);
    }

    private void pollOne(Follow f, List<Fetched> fetched, List<Gap> gaps) throws CollectorException {
        if (f.needsInfo) {
            CollectorInfo info = null;
            try {
                info = f.source.info();
            } catch (CollectorException e) {
                if (e.kind() != CollectorException.Kind.FAULT) {
                    throw e;
                }
                // A collector without getCollectorInfo: restarts are then seen by the cursor alone.
            }
            if (info != null) {
                if (f.started != 0 && info.started() != 0 && info.started() != f.started) {
                    restarted(f);
                }
                if (info.started() != 0) {
                    f.started = info.started();
                }
                f.maxtraps = info.maxtraps();
            }
            f.needsInfo = false;
        }
        int limit = settings.limit();
        int full = f.maxtraps > 0 ? Math.min(limit, f.maxtraps) : limit;
        for (int calls = 0; calls < MAX_CALLS_PER_ROUND; calls++) {
            TrapBatch b = f.source.fetch(f.cursor, limit);
            if (b.cursor() < f.cursor && !f.restartedThisRound) {
                // Its newest sequence number is below what we read: it restarted and numbers from 1 again.
                restarted(f);
                continue;
            }
            if (b.dropped() > 0 && !f.firstAnswer) {
                gaps.add(new Gap(f.source.name(), b.dropped(), f.restartedThisRound));
            }
            f.firstAnswer = false;
            for (RemoteTrap t : b.traps()) {
                fetched.add(new Fetched(t, f));
            }
            boolean advanced = b.cursor() > f.cursor;
            f.cursor = Math.max(0, b.cursor());
            if (b.traps().isEmpty() || !advanced || b.traps().size() < full) {
                break;
            }
        }
    }

    private static void restarted(Follow f) {
        f.cursor = 0;
        f.skipOlderThan = f.newestSeen;
        f.restartedThisRound = true;
    }

    /** True when at least one collector answered its last call. */
    boolean anyUp() {
        for (Follow f : follows) {
            if (f.state == State.UP) {
                return true;
            }
        }
        return false;
    }

    /** The cursor held for a collector (by name), for tests and messages. */
    long cursorOf(String name) {
        for (Follow f : follows) {
            if (f.source.name().equals(name)) {
                return f.cursor;
            }
        }
        throw new IllegalArgumentException("no collector " + name);
    }
}
