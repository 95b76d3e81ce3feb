package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.StormPolicy;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

class TrapQueueTest {

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final TrapStore store = new TrapStore(100, StormPolicy.DEFAULT, clock::get);

    private static TrapEvent ev(String id, String source) {
        return new TrapEvent(id, 0, Category.WARNING, "fs1", "", "message " + id, source);
    }

    private List<String> storedIds() {
        return store.read(0, 100).traps().stream().map(Trap::id).toList();
    }

    @Test
    void replayedEventsAreTimedByTheirEventTimeLiveOnesByTheClock() {
        TrapQueue q = new TrapQueue(4);
        long eventMillis = clock.get() - 3_600_000; // an hour before now
        q.replay(new TrapEvent("old", eventMillis, Category.WARNING, "fs1", "", "read back", "trapfile"));
        q.submit(new TrapEvent("new", eventMillis, Category.WARNING, "fs1", "", "happening", "trapfile"));
        assertEquals(2, q.drainTo(store, 10));
        List<Trap> t = store.read(0, 10).traps();
        assertEquals(eventMillis / 1000, t.get(0).time());
        assertEquals(clock.get() / 1000, t.get(1).time());
    }

    @Test
    void repeatsStayInOrderWithTheirEvents() {
        TrapQueue q = new TrapQueue(16);
        q.submit(ev("a", "kmsg"));
        q.repeat("kmsg", 2);
        q.submit(ev("b", "kmsg"));
        q.repeat("kmsg", 5);
        q.repeat("kmsg", 0); // nothing
        assertEquals(4, q.size());
        assertEquals(4, q.drainTo(store, 100));
        List<Trap> t = store.read(0, 10).traps();
        assertEquals(3, t.get(0).count());
        assertEquals(6, t.get(1).count());
        assertEquals(9, store.stats().received());
    }

    @Test
    void drainToAppliesAtMostMaxInOrder() {
        TrapQueue q = new TrapQueue(16);
        for (int i = 0; i < 5; i++) {
            q.submit(ev("e" + i, "s"));
        }
        assertEquals(2, q.drainTo(store, 2));
        assertEquals(List.of("e0", "e1"), storedIds());
        assertEquals(0, q.drainTo(store, 0));
        assertEquals(3, q.drainTo(store, 10));
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), storedIds());
        assertEquals(0, q.drainTo(store, 10));
    }

    @Test
    void awaitTimesOutWhenEmptyAndReturnsAtOnceWhenNot() throws Exception {
        TrapQueue q = new TrapQueue(4);
        assertFalse(q.await(0));
        assertFalse(q.await(1));
        q.submit(ev("a", "s"));
        assertTrue(q.await(10_000));
        assertEquals(1, q.drainTo(store, 10));
    }

    @Test
    void awaitWakesOnSubmitAndTheItemIsDrainedFirst() throws Exception {
        TrapQueue q = new TrapQueue(4);
        AtomicBoolean woke = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                woke.set(q.await(10_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-watcher");
        watcher.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (watcher.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, watcher.getState());
        q.submit(ev("first", "s"));
        q.submit(ev("second", "s"));
        watcher.join(10_000);
        assertFalse(watcher.isAlive());
        assertTrue(woke.get(), "await timed out instead of waking on submit");
        // await took "first" out of the queue; drainTo must still apply it before "second"
        assertEquals(2, q.drainTo(store, 10));
        assertEquals(List.of("first", "second"), storedIds());
    }

    @Test
    void rejectsAZeroCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new TrapQueue(0));
    }

    @Test
    void submitWaitsForRoomInsteadOfDropping() throws Exception {
        TrapQueue q = new TrapQueue(1);
        TrapStore store = new TrapStore(10, org.lustre.collector.trap.StormPolicy.DEFAULT, System::currentTimeMillis);
        assertTrue(q.submit(ev("a", "test")));
        Thread producer = new Thread(() -> q.submit(ev("b", "test")), "producer");
        producer.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (producer.getState() != Thread.State.WAITING && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer waits for room");
        assertEquals(1, q.drainTo(store, 10));
        producer.join(10_000);
        assertEquals(1, q.drainTo(store, 10));
        assertEquals(0, q.dropped());
        assertEquals(2, store.stats().received());
    }

    @Test
    void anInterruptedSubmitCountsTheTrapAsDropped() throws Exception {
        TrapQueue q = new TrapQueue(1);
        assertTrue(q.submit(ev("a", "test")));
        Thread.currentThread().interrupt();
        assertFalse(q.submit(ev("b", "test")));
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        assertEquals(1, q.dropped());
    }
}
