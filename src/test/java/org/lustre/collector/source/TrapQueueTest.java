package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class TrapQueueTest {

    private final List<TrapQueue.Item> received = new ArrayList<>();

    private static TrapEvent ev(String id, String source) {
        return new TrapEvent(id, 0, Category.WARNING, "fs1", "", "message " + id, source);
    }

    /** What the watcher got, one word an item: "live:id", "history:id" or "repeat:source:n". */
    private List<String> receivedShort() {
        return received.stream().map(i -> i instanceof TrapQueue.Event e
                ? (e.history() ? "history:" : "live:") + e.event().id()
                : "repeat:" + ((TrapQueue.Repeat) i).source() + ":" + ((TrapQueue.Repeat) i).count()).toList();
    }

    @Test
    void replayedAndLiveEventsAndRepeatsArriveInOrderAndMarked() {
        TrapQueue q = new TrapQueue(16);
        q.replay(ev("old", "kmsg"));
        q.submit(ev("a", "kmsg"));
        q.repeat("kmsg", 2);
        q.repeat(null, 5);
        q.repeat("kmsg", 0); // nothing
        assertEquals(4, q.drainTo(received::add, 100));
        assertEquals(List.of("history:old", "live:a", "repeat:kmsg:2", "repeat::5"), receivedShort());
    }

    @Test
    void drainToHandsOutAtMostMaxInOrder() {
        TrapQueue q = new TrapQueue(16);
        for (int i = 0; i < 5; i++) {
            q.submit(ev("e" + i, "s"));
        }
        assertEquals(2, q.drainTo(received::add, 2));
        assertEquals(List.of("live:e0", "live:e1"), receivedShort());
        assertEquals(0, q.drainTo(received::add, 0));
        assertEquals(3, q.drainTo(received::add, 10));
        assertEquals(List.of("live:e0", "live:e1", "live:e2", "live:e3", "live:e4"), receivedShort());
        assertEquals(0, q.drainTo(received::add, 10));
    }

    @Test
    void awaitTimesOutWhenEmptyAndReturnsAtOnceWhenNot() throws Exception {
        TrapQueue q = new TrapQueue(4);
        assertFalse(q.await(0));
        assertFalse(q.await(1));
        q.submit(ev("a", "s"));
        assertTrue(q.await(10_000));
        assertEquals(1, q.drainTo(received::add, 10));
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
        // await took "first" out of the queue; drainTo must still hand it out before "second"
        assertEquals(2, q.drainTo(received::add, 10));
        assertEquals(List.of("live:first", "live:second"), receivedShort());
    }

    @Test
    void rejectsAZeroCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new TrapQueue(0));
    }

    @Test
    void submitWaitsForRoomInsteadOfDropping() throws Exception {
        TrapQueue q = new TrapQueue(1);
        assertTrue(q.submit(ev("a", "test")));
        Thread producer = new Thread(() -> q.submit(ev("b", "test")), "producer");
        producer.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (producer.getState() != Thread.State.WAITING && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, producer.getState(), "the producer waits for room");
        assertEquals(1, q.drainTo(received::add, 10));
        producer.join(10_000);
        assertEquals(1, q.drainTo(received::add, 10));
        assertEquals(0, q.dropped());
        assertEquals(List.of("live:a", "live:b"), receivedShort());
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
