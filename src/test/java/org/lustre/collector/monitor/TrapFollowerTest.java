package org.lustre.collector.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
            return new TrapBatch(out, last, d, 0);
        }
    }

    private static final CollectorException DOWN =
            new CollectorException(CollectorException.Kind.UNREACHABLE, "unreachable: connection refused");

    private final AtomicLong clock = new AtomicLong(1_000_000);

    private TrapFollower follower(TrapFollower.Source... sources) {
        return new TrapFollower(List.of(sources), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 1000));
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
        TrapFollower f = new TrapFollower(List.of(a), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 2));
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
        TrapFollower f = new TrapFollower(List.of(a), clock::get, new TrapFollower.Settings(100, 50, 2, 1000));
        assertEquals(List.of("new-critical", "new-fatal"), ids(f.poll()));
    }

    @Test
    void dedupMemoryIsBounded() {
        FakeSource a = new FakeSource("a");
        FakeSource b = new FakeSource("b");
        TrapFollower f = new TrapFollower(List.of(a, b), clock::get, new TrapFollower.Settings(100, Long.MIN_VALUE, 0, 3));
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
}
