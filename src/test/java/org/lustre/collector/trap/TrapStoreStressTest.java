package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * One writer, many readers (DESIGN.md: readers never block the writer). The writer appends
 * 200,000 traps into a 250-slot ring while 4 readers follow with read(cursor, 100); a reader
 * that falls behind is lapped and must be told exactly how many it missed.
 */
class TrapStoreStressTest {

    private static final int TOTAL = 200_000;
    private static final int READERS = 4;

    @Test
    void readersNeverSeeASeqTwiceAndSeenPlusDroppedAddsUp() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        TrapStore store = new TrapStore(250, StormPolicy.DEFAULT, clock::get);
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= TOTAL; i++) {
                clock.incrementAndGet();
                // distinct messages: never coalesced, so trap i gets seq i and id "t<i>"
                store.append(new TrapEvent("t" + i, clock.get(), Category.INFO, "fs1", "fs1-OST0001",
                        "event " + i, "test"));
            }
        }, "stress-writer");

        List<ReaderResult> results = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            ReaderResult res = new ReaderResult();
            results.add(res);
            readers.add(new Thread(() -> follow(store, writer, res), "stress-reader-" + r));
        }
        readers.forEach(Thread::start);
        writer.start();
        writer.join(60_000); // a bound for a hang, not a speed target: CI machines are shared
        for (Thread t : readers) {
            t.join(60_000);
        }
        assertFalse(writer.isAlive(), "writer did not finish");
        assertEquals(TOTAL, store.newestSeq());
        assertEquals(new TrapStore.Stats(TOTAL, 250, 0, TOTAL - 250), store.stats());
        for (ReaderResult res : results) {
            assertNull(res.error.get(), () -> res.error.get());
            assertEquals(TOTAL, res.cursor, "reader did not reach the end");
            assertEquals(res.cursor, res.seen + res.dropped);
            assertTrue(res.seen >= 250, "saw " + res.seen);
        }
    }

    private static void follow(TrapStore store, Thread writer, ReaderResult res) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long cursor = 0;
        while (System.nanoTime() < deadline) {
            boolean writerDone = !writer.isAlive() && store.newestSeq() == TOTAL;
            TrapStore.Page page = store.read(cursor, 100);
            long expect = cursor + 1 + page.dropped();
            for (Trap t : page.traps()) {
                if (t.seq() != expect) {
                    res.error.compareAndSet(null, "after cursor " + cursor + " dropped " + page.dropped()
                            + " expected seq " + expect + " got " + t.seq());
                    return;
                }
                if (!t.id().equals("t" + t.seq())) {
                    res.error.compareAndSet(null, "seq " + t.seq() + " holds " + t.id());
                    return;
                }
                expect++;
            }
            if (page.dropped() < 0 || page.cursor() < cursor) {
                res.error.compareAndSet(null, "cursor went from " + cursor + " to " + page.cursor()
                        + " dropped " + page.dropped());
                return;
            }
            res.seen += page.traps().size();
            res.dropped += page.dropped();
            cursor = page.cursor();
            res.cursor = cursor;
            if (writerDone && cursor == TOTAL) {
                return;
            }
        }
        res.error.compareAndSet(null, "timed out at cursor " + cursor);
    }

    private static final class ReaderResult {
        final AtomicReference<String> error = new AtomicReference<>();
        long seen;
        long dropped;
        long cursor;
    }
}
