package org.lustre.collector.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * The bounded hand-over from the source threads to the watcher thread, which alone writes the
 * {@link TrapStore}. {@link #submit}, {@link #replay} and {@link #repeat} may be called from any
 * thread and wait for room while the queue is full (see {@link TrapSink}); only a thread
 * interrupted while waiting loses its item, counted as dropped. {@link #drainTo} and {@link #await}
 * belong to the single watcher thread. Events and repeats travel through the same queue, so a
 * "Skipped N previous similar messages" reaches the store after the trap it follows.
 */
public final class TrapQueue implements TrapSink {

    private static final Logger LOG = LogManager.getLogger(TrapQueue.class);

    /** A repeat notice in the queue. */
    private record Repeat(String source, int count) {
    }

    /** An event read back from history (see {@link TrapSink#replay}). */
    private record Replayed(TrapEvent event) {
    }

    private final ArrayBlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    // watcher thread only: an item await() took out of the queue while waiting, applied first by drainTo
    private Object head;
    private final List<Object> batch = new ArrayList<>();

    /** @param capacity most items waiting (the collector uses 4,096), at least 1 */
    public TrapQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1: " + capacity);
        }
        queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Any thread; waits while the queue is full (see {@link TrapSink#submit}). */
    @Override
    public boolean submit(TrapEvent event) {
        return put(event, 1);
    }

    /** Any thread; waits while the queue is full (see {@link TrapSink#replay}). */
    @Override
    public boolean replay(TrapEvent event) {
        return put(new Replayed(event), 1);
    }

    /** Any thread; waits while the queue is full (see {@link TrapSink#repeat}). */
    @Override
    public void repeat(String source, int count) {
        if (count > 0) {
            put(new Repeat(source == null ? "" : source, count), count);
        }
    }

    /** Queues {@code item}, waiting for room; interrupted (the source closing), counts its events as dropped. */
    private boolean put(Object item, int events) {
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

    /** Items waiting in the queue (not counting one the watcher's await already took). Any thread. */
    public int size() {
        return queue.size();
    }

    /**
     * Applies up to {@code max} waiting items to the store, in the order they were handed over.
     * Returns how many. Watcher thread only (the store's writer).
     */
    public int drainTo(TrapStore store, int max) {
        return drainTo(store, max, e -> { });
    }

    /**
     * As {@link #drainTo(TrapStore, int)}, and shows each trap to {@code seen} once it is stored
     * (the watcher uses it to look at the targets that traps name). Watcher thread only.
     */
    public int drainTo(TrapStore store, int max, java.util.function.Consumer<TrapEvent> seen) {
        if (max <= 0) {
            return 0;
        }
        int n = 0;
        if (head != null) {
            Object first = head;
            head = null;
            apply(store, first, seen);
            n++;
        }
        if (n < max) {
            queue.drainTo(batch, max - n);
            try {
                for (Object item : batch) {
                    apply(store, item, seen);
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

    private static void apply(TrapStore store, Object item, java.util.function.Consumer<TrapEvent> seen) {
        try {
            if (item instanceof TrapEvent e) {
                store.append(e);
                seen.accept(e);
            } else if (item instanceof Replayed r) {
                store.appendHistory(r.event());
                seen.accept(r.event());
            } else {
                Repeat r = (Repeat) item;
                store.addRepeats(r.source(), r.count());
            }
        } catch (RuntimeException ex) {
            // the store never throws on content; if it does anyway, lose this item, not the batch
            LOG.error("trap store refused {}", item, ex);
        }
    }
}
