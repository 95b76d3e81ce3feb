package org.lustre.collector.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrapFollowerTest {

    /** An in-memory collector: a store with sequence numbers, switchable failure, a call log. */
    static final class FakeSource implements TrapFollower.Source {
        final String name;
        final List<RemoteTrap> store = new ArrayList<>();
        long firstSeq = 1;
        long started = 100;
        int maxtraps = 250;
        long dropOnce;
        CollectorException failWith;
        boolean infoIsFault;
        final List<Long> fetchCursors = new ArrayList<>();
        final List<Long> attemptTimes = new ArrayList<>();
        AtomicLong clock;

        FakeSource(String name) {
            this.name = name;
        }

        void add(String id, long when, int category) {
            store.add(new RemoteTrap(id, when + 1, when, category, "n", "fs0", "message " + id, 1, "test"));
        }

        /** A restart: empty store, numbering from 1, a new start time. */
        void restart(long newStarted) {
            store.clear();
            firstSeq = 1;
            started = newStarted;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CollectorInfo info() throws CollectorException {
            if (clock != null) {
                attemptTimes.add(clock.get());
            }
            if (failWith != null) {
                throw failWith;
            }
            if (infoIsFault) {
                throw new CollectorException(CollectorException.Kind.FAULT, -32601, "unknown method", null);
            }
            return new CollectorInfo("t", started, maxtraps, 0, 0, 0, List.of());
        }

        @Override
        public TrapBatch fetch(long cursor, int limit) throws CollectorException {
            if (failWith != null) {
                throw failWith;
            }
            fetchCursors.add(cursor);
            List<RemoteTrap> out = new ArrayList<>();
            long last = cursor;
            int max = Math.min(limit, maxtraps);
            for (int i = 0; i < store.size(); i++) {
                long seq = firstSeq + i;
                if (seq > cursor && out.size() < max) {
                    out.add(store.get(i));
                    last = seq;
                }
            }
            long newest = firstSeq + store.size() - 1;
            if (out.isEmpty() && cursor > newest) {
                last = newest;
            }
            long d = dropOnce;
            dropOnce = 0;
            return new TrapBatch(out, last, d);
        }
    }

    /**
     * A hung collector: every call blocks until {@link #release} (the test's end at the latest),
     * then answers from its in-memory store, or fails with {@code failAfterRelease}.
     */
    static final class BlockingSource implements TrapFollower.Source {
        final FakeSource store;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger attempts = new AtomicInteger();
        volatile CollectorException failAfterRelease;
        /** Fails at once instead of hanging (a refused connection). */
        volatile CollectorException failFast;

        BlockingSource(String name) {
            store = new FakeSource(name);
        }

        @Override
        public String name() {
            return store.name;
        }

        @Override
        public CollectorInfo info() throws CollectorException {
            attempts.incrementAndGet(); // info opens every attempt of a new or failed collector
            hang();
            return store.info();
        }

        @Override
        public TrapBatch fetch(long cursor, int limit) throws CollectorException {
            hang();
            return store.fetch(cursor, limit);
        }

        private void hang() throws CollectorException {
            CollectorException fast = failFast;
            if (fast != null) {
                throw fast;
            }
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CollectorException(CollectorException.Kind.UNREACHABLE, "interrupted");
            }
            CollectorException e = failAfterRelease;
            if (e != null) {
                throw e;
            }
        }
    }

    private final List<BlockingSource> blocking = new ArrayList<>();

    private BlockingSource blocking(String name) {
        BlockingSource s = new BlockingSource(name);
        blocking.add(s);
        return s;
    }

    @AfterEach
    void releaseBlocked() {
        blocking.forEach(s -> s.release.countDown());
    }

    private static final CollectorException DOWN =
            new CollectorException(CollectorException.Kind.UNREACHABLE, "unreachable: connection refused");

    private final AtomicLong clock = new AtomicLong(1_000_000);

    /**
     * How long poll() waits for the attempts it starts: in-memory sources finish at once, so this
     * only bounds a stall of the machine; a test with a blocked source passes a short one.
     */
    private static final long WAIT = 10_000;

    private final List<TrapFollower> followers = new ArrayList<>();

    @AfterEach
    void stopFollowers() {
        followers.forEach(TrapFollower::close);
    }

    private TrapFollower track(TrapFollower f) {
        followers.add(f);
        return f;
    }

    private TrapFollower follower(TrapFollower.Source... sources) {
        return track(new TrapFollower(List.of(sources), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, WAIT, WAIT)));
    }

    private static List<String> ids(TrapFollower.Round r) {
        List<String> ids = new ArrayList<>();
        for (TrapFollower.Delivered d : r.traps()) {
            ids.add(d.trap().id());
        }
        return ids;
    }

    @Test
    void mergesTwoCollectorsByEventTime() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        a.add("x10", 10, 1);
        a.add("x30", 30, 1);
        b.add("x20", 20, 1);
        b.add("x40", 40, 1);
        assertEquals(List.of("x10", "x20", "x30", "x40"), ids(follower(a, b).poll()));
    }

    @Test
    void sameIdFromBothCollectorsIsDeliveredOnce() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        a.add("same", 10, 2);
        b.add("other", 5, 2);
        b.add("same", 10, 2);
        TrapFollower f = follower(a, b);
        assertEquals(List.of("other", "same"), ids(f.poll()));
        // Still once when the copy arrives a round later from the other collector.
        a.add("late", 50, 2);
        b.add("late", 50, 2);
        assertEquals(List.of("late"), ids(f.poll()));
        assertEquals(List.of(), ids(f.poll()));
    }

    @Test
    void manyCollectorsDedupAcrossAllAndEachKeepsItsOwnCursorAndState() {
        FakeSource[] s = new FakeSource[6];
        for (int i = 0; i < s.length; i++) {
            s[i] = new FakeSource("c" + i);
            s[i].add("s1", 10, 1);
            s[i].add("own" + i, 20 + i, 1);
        }
        TrapFollower f = follower(s);
        assertEquals(List.of("s1", "own0", "own1", "own2", "own3", "own4", "own5"), ids(f.poll()));

        s[3].failWith = DOWN;
        for (int i = 0; i < s.length; i++) {
            s[i].add("s2", 30, 1);
            s[i].add("new" + i, 40 + i, 1);
        }
        TrapFollower.Round r = f.poll();
        assertEquals(List.of("s2", "new0", "new1", "new2", "new4", "new5"), ids(r));
        assertEquals(List.of(new TrapFollower.StateChange("c3", false, false, DOWN,
                TrapFollower.INITIAL_BACKOFF_MILLIS, false)), r.changes());
        assertTrue(f.anyUp());
        for (int i = 0; i < s.length; i++) {
            assertEquals(i == 3 ? 2 : 4, f.cursorOf("c" + i), "c" + i);
        }

        // Back after its backoff: it resumes where it stopped; what the others delivered is not repeated.
        s[3].failWith = null;
        clock.addAndGet(TrapFollower.INITIAL_BACKOFF_MILLIS);
        r = f.poll();
        assertEquals(List.of("new3"), ids(r));
        assertEquals(List.of(new TrapFollower.StateChange("c3", true, false, null, 0, false)), r.changes());
        assertEquals(4, f.cursorOf("c3"));
    }

    @Test
    void droppedIsReportedExceptOnTheFirstAnswer() {
        FakeSource a = new FakeSource("a");
        a.dropOnce = 999; // history from before this monitor started: not a gap of ours
        a.add("t1", 10, 0);
        TrapFollower f = follower(a);
        assertTrue(f.poll().gaps().isEmpty());
        a.dropOnce = 412;
        a.add("t2", 20, 0);
        TrapFollower.Round r = f.poll();
        assertEquals(List.of(new TrapFollower.Gap("a", 412, false)), r.gaps());
        assertEquals(List.of("t2"), ids(r));
    }

    @Test
    void backoffDoublesUpToTheCapAndResetsOnSuccess() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        a.clock = clock;
        TrapFollower f = follower(a, b);
        long t0 = clock.get();
        f.poll(); // both up
        a.failWith = DOWN;
        a.attemptTimes.clear();
        List<Long> expected = List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L, 31_000L, 61_000L, 91_000L, 121_000L);
        // Step the clock one second at a time for 125 s; record when a was actually asked.
        for (long s = 0; s <= 125; s++) {
            clock.set(t0 + s * 1000);
            TrapFollower.Round r = f.poll();
            assertTrue(f.anyUp(), "b still answers");
            assertEquals(1, r.answered());
        }
        // The first failure is the poll at t0 + 0 (info is asked again after failures only; the
        // first failed call is fetch, which is not logged), so compare from the first retry on.
        List<Long> seen = new ArrayList<>();
        for (long t : a.attemptTimes) {
            seen.add(t - t0);
        }
        assertEquals(expected.subList(1, expected.size()), seen);
        a.failWith = null;
        clock.set(t0 + 151_000);
        TrapFollower.Round back = f.poll();
        assertEquals(1, back.changes().size());
        assertTrue(back.changes().get(0).up());
        a.failWith = DOWN;
        a.attemptTimes.clear();
        clock.set(t0 + 152_000);
        TrapFollower.Round down = f.poll();
        assertEquals(1_000, down.changes().get(0).retryMillis(), "backoff starts over after a success");
    }

    @Test
    void failureIsReportedOnceAndCursorKeptForResume() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        a.add("t1", 10, 0);
        a.add("t2", 20, 0);
        TrapFollower f = follower(a, b);
        assertEquals(List.of("t1", "t2"), ids(f.poll()));
        a.failWith = DOWN;
        TrapFollower.Round r1 = f.poll();
        assertEquals(1, r1.changes().size());
        assertFalse(r1.changes().get(0).up());
        assertEquals(DOWN, r1.lastError());
        clock.addAndGet(1_000);
        assertTrue(f.poll().changes().isEmpty(), "still down: not reported again");
        a.failWith = null;
        a.add("t3", 30, 0);
        clock.addAndGet(10_000);
        TrapFollower.Round back = f.poll();
        assertEquals(List.of("t3"), ids(back));
        assertTrue(back.changes().get(0).up());
        assertFalse(back.changes().get(0).restarted());
        assertEquals(2L, a.fetchCursors.get(a.fetchCursors.size() - 1), "resumed from its cursor");
    }

    @Test
    void restartSeenByCursorGoingBackCatchesUpWithoutRepeats() {
        FakeSource a = new FakeSource("a");
        a.infoIsFault = true; // no getCollectorInfo: the cursor alone tells
        a.add("k1", 10, 1);
        a.add("k2", 20, 1);
        a.add("k3", 30, 1);
        TrapFollower f = follower(a);
        assertEquals(List.of("k1", "k2", "k3"), ids(f.poll()));
        a.restart(100);
        a.add("k3", 30, 1); // the kernel log read again
        a.add("new", 40, 1);
        TrapFollower.Round r = f.poll();
        assertEquals(List.of("new"), ids(r));
        assertTrue(r.changes().get(0).restarted());
        assertEquals(2, f.cursorOf("a"));
    }

    @Test
    void restartSeenByStartedSkipsOlderReplayEvenWhenIdsWereForgotten() {
        FakeSource a = new FakeSource("a");
        TrapFollower f = track(new TrapFollower(List.of(a), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 2, WAIT, WAIT)));
        for (int i = 1; i <= 5; i++) {
            a.add("k" + i, i * 10, 1);
        }
        assertEquals(5, f.poll().traps().size());
        // Its store now holds 7 traps, more than our cursor: only `started` shows the restart.
        a.restart(200);
        for (int i = 1; i <= 5; i++) {
            a.add("k" + i, i * 10, 1); // replay; k1..k3 are no longer in the 2-id memory
        }
        a.add("n6", 60, 1);
        a.add("n7", 70, 1);
        a.failWith = DOWN; // it was seen down, so info is asked on its return
        f.poll();
        a.failWith = null;
        clock.addAndGet(5_000);
        TrapFollower.Round r = f.poll();
        assertEquals(List.of("n6", "n7"), ids(r));
        assertTrue(r.changes().get(0).restarted());
    }

    @Test
    void readsInPagesUntilCaughtUp() {
        FakeSource a = new FakeSource("a");
        a.maxtraps = 2;
        for (int i = 1; i <= 5; i++) {
            a.add("p" + i, i, 0);
        }
        TrapFollower f = follower(a);
        assertEquals(List.of("p1", "p2", "p3", "p4", "p5"), ids(f.poll()));
        assertEquals(List.of(0L, 2L, 4L), a.fetchCursors);
    }

    @Test
    void sinceAndMinCategoryFilter() {
        FakeSource a = new FakeSource("a");
        a.add("old-critical", 10, 2);
        a.add("new-info", 100, 0);
        a.add("new-critical", 110, 2);
        a.add("new-fatal", 120, 3);
        TrapFollower f = track(new TrapFollower(List.of(a), clock::get, new TrapFollower.Settings(100, 50, 2, 1000, WAIT, WAIT)));
        assertEquals(List.of("new-critical", "new-fatal"), ids(f.poll()));
    }

    @Test
    void dedupMemoryIsBounded() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        TrapFollower f = track(new TrapFollower(List.of(a, b), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 3, WAIT, WAIT)));
        for (int i = 1; i <= 4; i++) {
            a.add("id" + i, i, 0);
        }
        assertEquals(4, f.poll().traps().size());
        b.add("id1", 1, 0); // forgotten (only 3 remembered): shown again; the price of bounded memory
        b.add("id4", 4, 0); // remembered
        assertEquals(List.of("id1"), ids(f.poll()));
    }

    @Test
    void noCollectorUpWhenAllFail() {
        FakeSource a = new FakeSource("a");
        a.failWith = DOWN;
        TrapFollower f = follower(a);
        TrapFollower.Round r = f.poll();
        assertFalse(f.anyUp());
        assertEquals(0, r.answered());
        assertEquals(DOWN, r.lastError());
        assertEquals(DOWN, r.changes().get(0).error());
    }

    // ---- a hung collector (each collector on its own thread) ----

    /**
     * Short: a test with a hung source must not wait long for it each round. But the in-memory
     * source beside it must finish within it on a loaded machine (2 cores shared by several
     * builds): at 100 ms it once did not, and the round counted two attempts pending.
     */
    private static final long SHORT_WAIT = 500;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void hungCollectorDoesNotHoldBackTheOtherAndIsMergedWhenItAnswers() throws InterruptedException {
        BlockingSource a = blocking("a");
        FakeSource b = new FakeSource("b");
        a.store.add("only-a", 5, 1);
        a.store.add("dup", 10, 1);
        b.add("dup", 10, 1);
        b.add("b1", 20, 1);
        TrapFollower f = track(new TrapFollower(List.of(a, b), clock::get,
                new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, SHORT_WAIT, SHORT_WAIT)));
        List<String> delivered = new ArrayList<>();
        List<TrapFollower.StateChange> changes = new ArrayList<>();
        long end = System.nanoTime() + DEADLINE_NANOS;
        int polls = 0;
        while (!delivered.contains("b1") && System.nanoTime() < end) {
            TrapFollower.Round r = f.poll();
            polls++;
            delivered.addAll(ids(r));
            changes.addAll(r.changes());
            clock.addAndGet(1_000);
        }
        assertTrue(a.entered.await(10, TimeUnit.SECONDS), "a was asked");
        assertEquals(1, a.release.getCount(), "a is still blocked");
        assertEquals(List.of("dup", "b1"), delivered, "b's traps, while a hangs, after " + polls + " polls");
        // More rounds while a hangs: b is asked again, a is not asked a second time.
        b.add("b2", 30, 1);
        for (int i = 0; i < 3; i++) {
            TrapFollower.Round r = f.poll();
            delivered.addAll(ids(r));
            changes.addAll(r.changes());
            assertEquals(1, r.pending(), "a's attempt is still running");
            clock.addAndGet(1_000);
        }
        assertTrue(delivered.contains("b2"), delivered.toString());
        assertEquals(1, a.attempts.get(), "one attempt at a time");
        assertTrue(f.anyUp());
        assertTrue(f.pending());
        // a is reported once as slow, not as down: its read timeout has not fired.
        assertEquals(1, changes.size(), changes.toString());
        TrapFollower.StateChange slow = changes.get(0);
        assertEquals("a", slow.source());
        assertTrue(slow.slow() && !slow.up() && slow.error() == null, slow.toString());
        assertEquals(SHORT_WAIT, slow.retryMillis());

        a.release.countDown();
        TrapFollower.Round late = f.collectPending(10_000);
        assertEquals(List.of("only-a"), ids(late), "b's copy of dup was delivered already");
        assertEquals(1, late.answered());
        assertEquals(0, late.pending());
        assertFalse(f.pending());
        assertEquals(1, late.changes().size(), late.changes().toString());
        assertTrue(late.changes().get(0).up(), "answering again after being reported slow");
        assertEquals(2, f.cursorOf("a"));
        // From now on both rounds are whole again.
        a.store.add("both", 40, 1);
        b.add("both", 40, 1);
        b.add("b3", 35, 1);
        clock.addAndGet(1_000);
        TrapFollower.Round next = f.poll();
        assertEquals(List.of("b3", "both"), ids(next));
        assertTrue(next.changes().isEmpty(), next.changes().toString());
    }

    @Test
    void hungCollectorThatFailsLateGoesDownWithBackoffFromTheFailure() throws InterruptedException {
        BlockingSource a = blocking("a");
        FakeSource b = new FakeSource("b");
        TrapFollower f = track(new TrapFollower(List.of(a, b), clock::get,
                new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, SHORT_WAIT, WAIT)));
        f.poll();
        assertTrue(a.entered.await(10, TimeUnit.SECONDS));
        clock.addAndGet(30_000); // its read timeout
        long failedAt = clock.get();
        a.failAfterRelease = new CollectorException(CollectorException.Kind.TIMEOUT, "timed out");
        a.release.countDown();
        TrapFollower.Round r = f.collectPending(10_000);
        assertEquals(1, r.changes().size(), r.changes().toString());
        TrapFollower.StateChange down = r.changes().get(0);
        assertFalse(down.up() || down.slow());
        assertEquals("timed out", down.error().getMessage());
        assertEquals(TrapFollower.INITIAL_BACKOFF_MILLIS, down.retryMillis());
        assertTrue(f.anyUp(), "b answers");
        clock.set(failedAt + 999);
        assertEquals(1, f.poll().polled(), "only b: a waits for its backoff, counted from the failure");
        assertEquals(1, a.attempts.get());
        clock.set(failedAt + 1_000);
        a.failAfterRelease = null;
        TrapFollower.Round back = f.poll();
        assertEquals(2, back.polled());
        assertEquals(2, a.attempts.get());
        assertTrue(back.changes().get(0).up(), back.changes().toString());
    }

    @Test
    void retryOfADownCollectorThatHangsAgainIsNotWaitedForNorReportedSlow() throws InterruptedException {
        BlockingSource a = blocking("a");
        FakeSource b = new FakeSource("b");
        a.store.add("a1", 30, 1);
        TrapFollower f = track(new TrapFollower(List.of(a, b), clock::get,
                new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, WAIT, 0)));
        a.failFast = DOWN;
        TrapFollower.Round first = f.poll();
        assertEquals(1, first.changes().size());
        assertEquals(DOWN, first.changes().get(0).error());
        a.failFast = null; // its retry hangs
        b.add("b1", 20, 1);
        clock.addAndGet(TrapFollower.INITIAL_BACKOFF_MILLIS);
        TrapFollower.Round r = f.poll();
        assertEquals(2, r.polled());
        assertTrue(a.entered.await(10, TimeUnit.SECONDS), "a was retried");
        assertEquals(List.of("b1"), ids(r));
        assertEquals(1, r.pending());
        assertTrue(r.changes().isEmpty(), "down already reported; not slow on top: " + r.changes());
        a.release.countDown();
        TrapFollower.Round late = f.collectPending(10_000);
        assertEquals(List.of("a1"), ids(late));
        assertTrue(late.changes().get(0).up(), late.changes().toString());
    }

    @Test
    void everyCollectorHungKeepsTheFollowerWaitingNotGivingUp() throws InterruptedException {
        BlockingSource a = blocking("a");
        TrapFollower f = track(new TrapFollower(List.of(a), clock::get,
                new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, SHORT_WAIT, SHORT_WAIT)));
        TrapFollower.Round r = f.poll();
        assertTrue(a.entered.await(10, TimeUnit.SECONDS));
        assertEquals(0, r.answered());
        assertNull(r.lastError(), "not failed: still waiting for it");
        assertTrue(f.anyUp(), "a collector not heard from yet is not given up before its timeout");
        a.failAfterRelease = DOWN;
        a.release.countDown();
        TrapFollower.Round failed = f.collectPending(10_000);
        assertEquals(DOWN, failed.lastError());
        assertFalse(f.anyUp());
    }

    @Test
    void closeStopsTheCollectorsThreads() throws InterruptedException {
        BlockingSource a = blocking("stuck");
        TrapFollower f = new TrapFollower(List.of(a, new FakeSource("fine")), clock::get,
                new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000, SHORT_WAIT, SHORT_WAIT));
        f.poll();
        assertTrue(a.entered.await(10, TimeUnit.SECONDS));
        assertTrue(threadAlive("monitor-poll-stuck"));
        f.close(); // interrupts the blocked call (a real socket read ends when the session is closed)
        long end = System.nanoTime() + DEADLINE_NANOS;
        while ((threadAlive("monitor-poll-stuck") || threadAlive("monitor-poll-fine")) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertFalse(threadAlive("monitor-poll-stuck"));
        assertFalse(threadAlive("monitor-poll-fine"));
    }

    @Test
    void aBugInASourceStillSurfacesFromPoll() {
        TrapFollower.Source a = new TrapFollower.Source() {
            @Override
            public String name() {
                return "a";
            }

            @Override
            public CollectorInfo info() {
                return new CollectorInfo("t", 1, 250, 0, 0, 0, List.of());
            }

            @Override
            public TrapBatch fetch(long cursor, int limit) {
                throw new IllegalArgumentException("bug");
            }
        };
        TrapFollower f = follower(a);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, f::poll);
        assertEquals("bug", e.getMessage());
    }

    static boolean threadAlive(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
