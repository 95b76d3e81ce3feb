package org.lustre.collector.monitor;

import org.lustre.collector.Threads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Follows any number of collectors' trap streams and merges them into one, without the network: each
 * collector is a {@link Source} (a fetch function) and time comes from an injected clock, so the
 * whole cursor, dedup, gap and backoff logic is testable in memory. What it does for the user (gaps,
 * backoff, restarts, one line per trap id across collectors) is told in docs/monitor.md, "Following
 * traps". A round calls getTrapRecords until the collector has nothing more (a short, empty or
 * non-advancing batch; at most {@value #MAX_CALLS_PER_ROUND} calls). A {@code dropped} on a
 * collector's very first answer is not a gap: it counts history from before this monitor started.
 *
 * <h2>Threads</h2>
 * Each collector is asked on its own daemon thread ({@code monitor-poll-NAME}), so a collector
 * that hangs (accepts the connection, never answers, until the read timeout) cannot hold back
 * the others. {@link #poll()} starts an attempt for every collector that is due and has none in
 * flight, waits for the attempts it started at most {@code waitMillis} (real time: the poll
 * interval; for the retry of a collector that is down, {@code retryWaitMillis}: not at all in the
 * command), and merges whatever attempts have finished by then, started this round or earlier.
 * An attempt still running is left to finish; its traps come in a later round, deduplicated as
 * always. A collector has at most one attempt in flight, and while it runs that collector's
 * cursor and restart fields belong to its thread; the polling thread takes them back through the
 * attempt's {@link Future} (which orders the memory) and alone keeps state, backoff and the id set.
 *
 * <p>{@link #poll()}, {@link #collectPending(long)}, {@link #anyUp()}, {@link #pending()} and
 * {@link #close()} are called by one thread (the monitor's main thread); the collectors' threads
 * run {@link Source} methods only. {@link #close()} stops those threads.
 */
final class TrapFollower implements AutoCloseable {
    static final long INITIAL_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 30_000;
    static final int MAX_CALLS_PER_ROUND = 100;

    /** One collector. Called by that collector's polling thread, one call at a time. */
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
     * @param waitMillis   how long {@link #poll()} waits for the attempts it started (the poll interval)
     * @param retryWaitMillis how long it waits for the retry of a collector that is down: 0 in the
     *                     command (that retry is likely to hang again, and its traps are merged in
     *                     the round it finishes); tests wait as for the others, to keep rounds exact
     */
    record Settings(int limit, long sinceSeconds, int minCategory, int rememberIds, long waitMillis,
                    long retryWaitMillis) {
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
     * A collector started or stopped answering, or restarted, or is slow to answer.
     *
     * @param error       the failure when it went down, else null
     * @param retryMillis when down: the delay before the next attempt; when slow: how long it was waited for
     * @param slow        its attempt did not finish within the wait: it is left running (not down yet,
     *                    error is null); reported once per attempt, and not while the collector is down
     */
    record StateChange(String source, boolean up, boolean restarted, CollectorException error, long retryMillis,
                       boolean slow) {
    }

    /**
     * The outcome of one {@link #poll()} or {@link #collectPending(long)}.
     *
     * @param polled    attempts started this round (the other collectors wait for their backoff or are in flight)
     * @param answered  attempts that finished this round with an answer
     * @param pending   attempts still running after this round
     * @param lastError the last failure of this round, or null
     */
    record Round(List<Delivered> traps, List<Gap> gaps, List<StateChange> changes, int polled, int answered,
                 int pending, CollectorException lastError) {
    }

    private enum State { NEW, UP, DOWN }

    /**
     * Per-collector progress. The fetch fields (cursor to restartedThisRound) are used by the
     * collector's thread while an attempt is in flight, the others by the polling thread only.
     */
    private static final class Follow {
        final Source source;
        final ExecutorService thread;
        State state = State.NEW;
        long cursor;
        long started;
        int maxtraps;
        boolean needsInfo = true;
        boolean firstAnswer = true;
        long newestSeen = Long.MIN_VALUE;
        long skipOlderThan = Long.MIN_VALUE;
        boolean restartedThisRound;
        long backoffMillis;
        long nextAttemptMillis;
        boolean slowReported;
        Future<Attempt> inFlight;

        Follow(Source source) {
            this.source = source;
            // a daemon: never keeps the JVM alive, e.g. blocked in a read on SIGTERM
            this.thread = Executors.newSingleThreadExecutor(r -> Threads.daemon(r, "monitor-poll-" + source.name()));
        }
    }

    /** What one attempt brought back to the polling thread. */
    private record Attempt(List<Fetched> fetched, List<Gap> gaps, CollectorException error, long endedMillis) {
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

    /** @param clockMillis epoch milliseconds; read by the collectors' threads too, so thread-safe */
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

    /**
     * Starts an attempt for every collector that is due (not in backoff) and has none in flight,
     * waits for those at most {@code waitMillis} (a collector that is down: {@code retryWaitMillis}),
     * merges every finished attempt. Never throws for
     * a collector's failure; a collector still running is reported slow once.
     */
    Round poll() {
        long now = clockMillis.getAsLong();
        List<Follow> startedNow = new ArrayList<>();
        for (Follow f : follows) {
            if (f.inFlight != null || (f.state == State.DOWN && now < f.nextAttemptMillis)) {
                continue;
            }
            f.inFlight = f.thread.submit(() -> attempt(f));
            startedNow.add(f);
        }
        Map<Boolean, List<Follow>> down = startedNow.stream()
                .collect(Collectors.partitioningBy(f -> f.state == State.DOWN));
        long began = System.nanoTime();
        awaitAll(down.get(false), settings.waitMillis());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        awaitAll(down.get(true), Math.max(0, settings.retryWaitMillis() - waited));
        return merge(startedNow);
    }

    /**
     * Starts nothing: waits at most {@code maxWaitMillis} for the attempts in flight and merges
     * those finished. For {@code --once} and {@code check}, which want every collector's answer
     * (or failure) without asking anyone twice.
     */
    Round collectPending(long maxWaitMillis) {
        awaitAll(follows.stream().filter(f -> f.inFlight != null).toList(), maxWaitMillis);
        return merge(List.of());
    }

    /** True when an attempt is still running. */
    boolean pending() {
        return follows.stream().anyMatch(f -> f.inFlight != null);
    }

    /** Waits real time (not the injected clock: this bounds a blocking wait) for the attempts. */
    private static void awaitAll(List<Follow> running, long maxWaitMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        for (Follow f : running) {
            try {
                f.inFlight.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Still running: merged in a later round. Failed: rethrown by merge.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the command is stopping: merge what is there
                return;
            }
        }
    }

    /** One attempt on the collector's own thread: pollOne plus the time it ended, for the backoff. */
    private Attempt attempt(Follow f) {
        List<Fetched> fetched = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        f.restartedThisRound = false;
        CollectorException error = null;
        try {
            pollOne(f, fetched, gaps);
        } catch (CollectorException e) {
            error = e;
        }
        return new Attempt(fetched, gaps, error, clockMillis.getAsLong());
    }

    /**
     * Takes back every finished attempt, updates state and backoff, delivers the traps.
     *
     * @param startedNow the attempts started this round: those still running are reported slow
     */
    private Round merge(List<Follow> startedNow) {
        List<Fetched> fetched = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        int answered = 0;
        int pending = 0;
        CollectorException lastError = null;
        for (Follow f : follows) {
            if (f.inFlight == null) {
                continue;
            }
            if (!f.inFlight.isDone()) {
                pending++;
                if (startedNow.contains(f) && f.state != State.DOWN) {
                    // Not down (its read timeout has not fired), but the others' traps will not wait for it.
                    changes.add(new StateChange(f.source.name(), false, false, null, settings.waitMillis(), true));
                    f.slowReported = true;
                }
                continue;
            }
            Attempt a = Futures.result(f.inFlight, "collecting a finished attempt"); // done: cannot block
            f.inFlight = null;
            CollectorException e = a.error();
            if (e == null) {
                answered++;
                fetched.addAll(a.fetched());
                gaps.addAll(a.gaps());
                if (f.state == State.DOWN || f.restartedThisRound || f.slowReported) {
                    changes.add(new StateChange(f.source.name(), true, f.restartedThisRound, null, 0, false));
                }
                f.state = State.UP;
                f.backoffMillis = 0;
            } else {
                lastError = e;
                f.needsInfo = true;
                f.backoffMillis = f.backoffMillis == 0 ? INITIAL_BACKOFF_MILLIS
                        : Math.min(f.backoffMillis * 2, MAX_BACKOFF_MILLIS);
                f.nextAttemptMillis = a.endedMillis() + f.backoffMillis;
                if (f.state != State.DOWN) {
                    changes.add(new StateChange(f.source.name(), false, false, e, f.backoffMillis, false));
                }
                f.state = State.DOWN;
            }
            f.slowReported = false;
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
                continue; // already delivered, from this collector or another
            }
            if (t.category() < settings.minCategory() || when < settings.sinceSeconds()) {
                continue;
            }
            out.add(new Delivered(t, x.from().source.name()));
        }
        return new Round(out, gaps, changes, startedNow.size(), answered, pending, lastError);
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

    /**
     * True when at least one collector answered its last attempt or has one still running (a
     * collector not yet heard from, or slow, is not given up before its read timeout).
     */
    boolean anyUp() {
        return follows.stream().anyMatch(f -> f.state == State.UP || f.inFlight != null);
    }

    /**
     * Stops the collectors' threads: interrupts them and drops their attempts. A thread blocked
     * in a socket read ends when the HTTP session is closed (the command closes it right after);
     * they are daemon threads, so none keeps the JVM alive meanwhile.
     */
    @Override
    public void close() {
        for (Follow f : follows) {
            f.thread.shutdownNow();
        }
    }

    /** The cursor held for a collector (by name), for tests and messages; not while it is in flight. */
    long cursorOf(String name) {
        return follows.stream().filter(f -> f.source.name().equals(name)).findFirst().orElseThrow().cursor;
    }
}
