package org.lustre.collector.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.lustre.collector.trap.TrapEvent;

/** Test sink: keeps every event and repeat in order. Thread-safe (the source thread writes, the test reads). */
final class CollectingSink implements TrapSink {
    /** A "Skipped N" repeat as the source reported it. */
    record Repeat(String source, int count, int afterEvents) {
    }

    private final List<TrapEvent> events = new ArrayList<>();
    /** For each event: whether it came through replay (history). */
    private final List<Boolean> history = new ArrayList<>();
    private final List<Repeat> repeats = new ArrayList<>();

    @Override
    public synchronized boolean submit(TrapEvent event) {
        events.add(event);
        history.add(false);
        notifyAll();
        return true;
    }

    @Override
    public synchronized boolean replay(TrapEvent event) {
        events.add(event);
        history.add(true);
        notifyAll();
        return true;
    }

    /** Whether each event, in order, was handed over as history. */
    synchronized List<Boolean> history() {
        return List.copyOf(history);
    }

    @Override
    public synchronized void repeat(String source, int count) {
        repeats.add(new Repeat(source, count, events.size()));
        notifyAll();
    }

    synchronized List<TrapEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<Repeat> repeats() {
        return List.copyOf(repeats);
    }

    synchronized List<String> ids() {
        return events.stream().map(TrapEvent::id).toList();
    }

    /** Waits (at most 10 s) until {@code n} events arrived; returns them. */
    List<TrapEvent> awaitEvents(int n) throws InterruptedException {
        awaitTrue(() -> events().size() >= n, "waiting for " + n + " events");
        return events();
    }

    /** Polls a condition with a generous deadline (no timing assertion: only a hang fails). */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out " + what);
            }
            Thread.sleep(20);
        }
    }
}
