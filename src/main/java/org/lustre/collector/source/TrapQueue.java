package org.lustre.collector.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.lustre.collector.trap.TrapEvent;

/**
 * The bounded hand-over from the source threads to the watcher thread. {@link #submit},
 * {@link #replay} and {@link #repeat} may be called from any thread and wait for room while the
 * queue is full (see {@link TrapSink}); only a thread interrupted while waiting loses its item,
 * counted as dropped. {@link #drainTo} and {@link #await} belong to the single watcher thread,
 * which decides what each {@link Item} does. Events and repeats travel through the same queue, so
 * a "Skipped N previous similar messages" reaches the watcher after the trap it follows.
 */
public final class TrapQueue implements TrapSink {

    /** What a source hands over. */
    public sealed interface Item permits Event, Repeat {
    }

    /**
     * One trap; {@code history} when it was read back at start-up rather than as it happened
     * (see {@link TrapSink#replay}).
     */
    public record Event(TrapEvent event, boolean history) implements Item {
    }

    /** "Skipped {@code count} previous similar messages" from {@code source}. */
    public record Repeat(String source, int count) implements Item {
    }

    private final ArrayBlockingQueue<Item> queue;
    private final AtomicLong dropped = new AtomicLong();
    // watcher thread only: an item await() took out of the queue while waiting, handed out first by drainTo
    private Item head;
    private final List<Item> batch = new ArrayList<>();

    /** @param capacity most items waiting (the collector uses 4,096), at least 1 */
    public TrapQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1: " + capacity);
        }
        queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean submit(TrapEvent event) {
        return put(new Event(event, false), 1);
    }

    @Override
    public boolean replay(TrapEvent event) {
        return put(new Event(event, true), 1);
    }

    @Override
    public void repeat(String source, int count) {
        if (count > 0) {
            put(new Repeat(source == null ? "" : source, count), count);
        }
    }

    /** Queues {@code item}, waiting for room; interrupted (the source closing), counts its events as dropped. */
    private boolean put(Item item, int events) {
        try {
            queue.put(item);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.addAndGet(events);
            return false;
        }
    }

    /**
     * Events lost because their source was interrupted while waiting for room (a lost repeat counts
     * its N events). Any thread.
     */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Hands up to {@code max} waiting items to {@code into}, in the order they were queued.
     * Returns how many. Watcher thread only.
     */
    public int drainTo(Consumer<Item> into, int max) {
        if (max <= 0) {
            return 0;
        }
        int n = 0;
        if (head != null) {
            Item first = head;
            head = null;
            into.accept(first);
            n++;
        }
        if (n < max) {
            queue.drainTo(batch, max - n);
            try {
                for (Item item : batch) {
                    into.accept(item);
                    n++;
                }
            } finally {
                batch.clear();
            }
        }
        return n;
    }

    /**
     * Waits until an item is waiting or {@code timeoutMillis} has passed; true when one is. Wakes
     * on the submit itself, no polling. Watcher thread only.
     */
    public boolean await(long timeoutMillis) throws InterruptedException {
        if (head != null || !queue.isEmpty()) {
            return true;
        }
        if (timeoutMillis <= 0) {
            return false;
        }
        head = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        return head != null;
    }
}
