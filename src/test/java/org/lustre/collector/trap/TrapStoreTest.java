package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class TrapStoreTest {

    private static final long T0 = 1_700_000_000_000L;
    private final AtomicLong clock = new AtomicLong(T0);

    private TrapStore store(int maxTraps) {
        return new TrapStore(maxTraps, StormPolicy.DEFAULT, clock::get);
    }

    /** Distinct messages: never alike, never coalesced. */
    private static TrapEvent distinct(int i) {
        return new TrapEvent("e" + i, T0, Category.WARNING, "fs1", "fs1-OST0000", "event number " + i, "trapfile");
    }

    /** Id "fs/category/k" + i: unique, as the ids of real events are (the store drops repeated ids). */
    private static TrapEvent lost(String fs, Category cat, int i, String net) {
        String node = String.format("%s-OST%04x", fs, i);
        String id = fs + "/" + cat + "/k" + i;
        return new TrapEvent(id, T0 + i, cat, fs, node, node + "-osc-MDT0000: Connection to " + node + " (at 10."
                + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "@" + net
                + ") was lost; in progress operations using this service will wait for recovery to complete", "kmsg");
    }

    private static List<Trap> all(TrapStore s) {
        return s.read(0, Integer.MAX_VALUE).traps();
    }

    // ------------------------------------------------------------ sequence, cursor, dropped

    @Test
    void seqStartsAtOneAndCursorFollows() {
        TrapStore s = store(10);
        assertEquals(0, s.newestSeq());
        assertEquals(0, s.lastReceiveTime());
        TrapStore.Page empty = s.read(0, 10);
        assertEquals(List.of(), empty.traps());
        assertEquals(0, empty.cursor());
        for (int i = 1; i <= 4; i++) {
            s.append(distinct(i));
        }
        TrapStore.Page p = s.read(0, 3);
        assertEquals(List.of(1L, 2L, 3L), seqs(p.traps()));
        assertEquals(3, p.cursor());
        assertEquals(0, p.dropped());
        p = s.read(p.cursor(), 3);
        assertEquals(List.of(4L), seqs(p.traps()));
        assertEquals(4, p.cursor());
        p = s.read(p.cursor(), 3);
        assertEquals(List.of(), p.traps());
        assertEquals(4, p.cursor());
        assertEquals(0, p.dropped());
        assertEquals("e1", s.read(0, 1).traps().get(0).id());
    }

    @Test
    void lappedReaderIsToldExactlyHowManyItMissed() {
        TrapStore s = store(10);
        for (int i = 1; i <= 25; i++) {
            s.append(distinct(i));
        }
        TrapStore.Page p = s.read(3, 100); // 4..15 left the ring
        assertEquals(16, p.traps().get(0).seq());
        assertEquals(10, p.traps().size());
        assertEquals(12, p.dropped());
        assertEquals(25, p.cursor());
        p = s.read(0, 2);
        assertEquals(List.of(16L, 17L), seqs(p.traps()));
        assertEquals(15, p.dropped());
        p = s.read(17, 3);
        assertEquals(List.of(18L, 19L, 20L), seqs(p.traps()));
        assertEquals(0, p.dropped());
    }

    @Test
    void cursorFromAnEarlierRunStartsOverWithoutDropped() {
        TrapStore s = store(3);
        for (int i = 1; i <= 5; i++) {
            s.append(distinct(i));
        }
        TrapStore.Page p = s.read(1_000, 10);
        assertEquals(List.of(3L, 4L, 5L), seqs(p.traps()));
        assertEquals(0, p.dropped());
        assertEquals(5, p.cursor());
        TrapStore.Page none = store(3).read(7, 10);
        assertEquals(0, none.cursor());
        assertEquals(0, none.dropped());
        TrapStore.Page negative = s.read(-5, 1);
        assertEquals(List.of(3L), seqs(negative.traps()));
        assertEquals(2, negative.dropped());
        assertEquals(List.of(), s.read(2, 0).traps());
    }

    @Test
    void storeKeepsOnlyTheNewestMaxTraps() {
        TrapStore s = store(250);
        for (int i = 1; i <= 1000; i++) {
            s.append(distinct(i));
        }
        List<Trap> kept = all(s);
        assertEquals(250, kept.size());
        assertEquals(751, kept.get(0).seq());
        assertEquals(1000, kept.get(249).seq());
        assertEquals(new TrapStore.Stats(1000, 250, 0, 750), s.stats());
        assertArrayEquals(new long[] {0, 1000, 0, 0}, s.countsByCategory("fs1"));
        assertArrayEquals(new long[4], s.countsByCategory("nope"));
        assertEquals(Set.of("fs1"), s.countsBySource().keySet());
    }

    @Test
    void rejectsAnEmptyStore() {
        assertThrows(IllegalArgumentException.class, () -> store(0));
    }

    @Test
    void aSecondWriterThreadTripsTheAssertion() throws Exception {
        TrapStore s = store(10);
        s.append(distinct(1)); // this thread is now the writer
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                s.append(distinct(2));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "second-writer");
        other.start();
        other.join(10_000);
        assertTrue(thrown.get() instanceof AssertionError, "got " + thrown.get());
        assertEquals(1, s.newestSeq());
    }

    // ------------------------------------------------------------ receive time

    @Test
    void receiveTimeNeverGoesBackwardsWithTheClock() {
        TrapStore s = store(10);
        clock.set(100_000);
        s.append(distinct(1));
        clock.set(50_000); // stepped back
        s.append(distinct(2));
        clock.set(101_500);
        s.append(distinct(3));
        List<Trap> t = all(s);
        assertEquals(100, t.get(0).time());
        assertEquals(100, t.get(1).time());
        assertEquals(101, t.get(2).time());
        assertEquals(101, s.lastReceiveTime());
        assertEquals(T0 / 1000, t.get(0).eventTime());
    }

    @Test
    void aTrapAfterClosedSecondIsLaterEvenWhenTheClockStepsBack() {
        TrapStore s = store(10);
        clock.set(200_500);
        long closed = s.closedSecond();
        assertEquals(199, closed);
        clock.set(150_000);
        assertEquals(199, s.closedSecond()); // never backwards
        s.append(distinct(1));
        assertTrue(all(s).get(0).time() > closed);
        assertEquals(List.of(), s.receivedIn(0, closed, 10));
        assertEquals(1, s.receivedIn(closed, 200, 10).size());
    }

    @Test
    void receivedInBoundsAreExclusiveBelowInclusiveAbove() {
        TrapStore s = store(10);
        for (int sec = 10; sec <= 14; sec++) {
            clock.set(sec * 1000L + 999);
            s.append(distinct(sec));
        }
        assertEquals(List.of(11L, 12L, 13L), times(s.receivedIn(10, 13, 10)));
        assertEquals(List.of(11L, 12L), times(s.receivedIn(10, 13, 2)));
        assertEquals(List.of(10L), times(s.receivedIn(9, 10, 10)));
        assertEquals(List.of(), s.receivedIn(14, 20, 10));
        assertEquals(List.of(), s.receivedIn(13, 13, 10));
    }

    @Test
    void getTrapsLoopSeesEveryTrapOnceDespiteABackwardsClock() {
        TrapStore s = store(100_000);
        Random rnd = new Random(42);
        List<String> seen = new ArrayList<>();
        long after = 0;
        int appended = 0;
        for (int step = 0; step < 20_000; step++) {
            int r = rnd.nextInt(100);
            if (r < 40) {
                s.append(distinct(++appended));
            } else if (r < 70) {
                clock.addAndGet(rnd.nextInt(700));
            } else if (r < 72) {
                clock.addAndGet(-rnd.nextInt(3000)); // NTP step back
            } else {
                long upTo = s.closedSecond();
                for (Trap t : s.receivedIn(after, upTo, 100_000)) {
                    seen.add(t.id());
                }
                after = upTo;
            }
        }
        clock.addAndGet(5_000);
        for (Trap t : s.receivedIn(after, s.closedSecond(), 100_000)) {
            seen.add(t.id());
        }
        assertEquals(appended, seen.size());
        assertEquals(appended, new HashSet<>(seen).size());
    }

    @Test
    void getTrapsLoopSeesEveryTrapOnceWhileTheWriterRuns() throws Exception {
        // The readers move the clock on by a second before each poll, so a second often closes
        // between the writer taking a receive time and publishing the trap: the race closedSecond
        // guards against (without its in-flight check this test loses traps).
        int total = 100_000;
        TrapStore s = store(total);
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                s.append(distinct(i));
            }
        }, "test-writer");
        List<List<Long>> seenByReader = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            List<Long> seen = new ArrayList<>();
            seenByReader.add(seen);
            readers.add(new Thread(() -> {
                long after = 0;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (seen.size() < total && System.nanoTime() < deadline) {
                    clock.addAndGet(1000);
                    long upTo = s.closedSecond();
                    for (Trap t : s.receivedIn(after, upTo, total)) {
                        seen.add(t.seq());
                    }
                    after = upTo;
                }
            }, "test-reader-" + r));
        }
        writer.start();
        readers.forEach(Thread::start);
        writer.join(10_000);
        for (Thread t : readers) {
            t.join(15_000);
        }
        for (List<Long> seen : seenByReader) {
            assertEquals(total, seen.size());
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1, seen.get(i)); // each once, in order
            }
        }
    }

    // ------------------------------------------------------------ repeats

    @Test
    void repeatsRaiseTheLastTrapOfTheirSource() {
        TrapStore s = store(10);
        s.append(distinct(1));
        s.append(new TrapEvent("x", T0, Category.FATAL, "fs2", "fs2-MDT0000", "LBUG", "kmsg"));
        s.addRepeats("trapfile", 7);
        List<Trap> t = all(s);
        assertEquals(8, t.get(0).count());
        assertEquals(1, t.get(0).seq());
        assertEquals(1, t.get(1).count());
        assertEquals(2, s.newestSeq()); // no new seq
        assertArrayEquals(new long[] {0, 8, 0, 0}, s.countsByCategory("fs1"));
        s.addRepeats("nobody", 3);
        assertArrayEquals(new long[] {3, 0, 0, 0}, s.countsByCategory(""));
        // The same counts by source: each event and repeat under the source that sent it.
        var bySource = s.countsBySource();
        assertEquals(java.util.Set.of("", "fs1", "fs2"), bySource.keySet());
        assertArrayEquals(new long[] {0, 8, 0, 0}, bySource.get("fs1").get(distinct(1).source()));
        assertArrayEquals(new long[] {0, 0, 0, 1}, bySource.get("fs2").get("kmsg"));
        assertArrayEquals(new long[] {3, 0, 0, 0}, bySource.get("").get("nobody"));
        s.addRepeats("kmsg", 0);
        s.addRepeats("kmsg", -4);
        assertEquals(new TrapStore.Stats(12, 2, 0, 0), s.stats());
    }

    @Test
    void repeatsOfAnEvictedTrapAreStillCounted() {
        TrapStore s = store(2);
        s.append(distinct(1));
        for (int i = 2; i <= 4; i++) {
            s.append(new TrapEvent("o" + i, T0, Category.INFO, "fs9", "", "other " + i, "scan"));
        }
        s.addRepeats("trapfile", 5);
        assertArrayEquals(new long[] {0, 6, 0, 0}, s.countsByCategory("fs1"));
        assertEquals(9, s.stats().received());
        assertEquals(List.of(1, 1), all(s).stream().map(Trap::count).toList());
    }

    @Test
    void repeatsOfAStormMemberGoIntoTheStormTrap() {
        TrapStore s = store(100);
        for (int i = 0; i < 8; i++) {
            s.append(lost("fs1", Category.CRITICAL, i, "o2ib"));
        }
        s.addRepeats("kmsg", 10); // pending aggregate
        clock.addAndGet(5_000);
        s.tick();
        s.addRepeats("kmsg", 2); // now published
        Trap storm = all(s).get(5);
        assertEquals("fs1/critical/k5~storm", storm.id());
        assertEquals(3 + 10 + 2, storm.count());
        assertEquals(new TrapStore.Stats(20, 6, 15, 0), s.stats());
    }

    // ------------------------------------------------------------ storms

    @Test
    void aLoneEventIsStoredAtOnce() {
        TrapStore s = store(10);
        s.append(lost("fs1", Category.CRITICAL, 1, "o2ib"));
        assertEquals(1, s.newestSeq());
        assertEquals(Long.MAX_VALUE, s.nextDeadlineMillis());
        assertEquals(1, all(s).get(0).count());
    }

    @Test
    void thresholdAlikeAreStoredSinglyTheNextAreHeldUntilQuiet() {
        TrapStore s = store(100);
        for (int i = 0; i < 9; i++) {
            s.append(lost("fs1", Category.CRITICAL, i, "o2ib"));
        }
        assertEquals(5, s.newestSeq());
        assertEquals(T0 + 1000, s.nextDeadlineMillis());
        clock.set(T0 + 999);
        s.tick();
        assertEquals(5, s.newestSeq());
        clock.set(T0 + 1000);
        s.tick();
        assertEquals(6, s.newestSeq());
        Trap storm = all(s).get(5);
        assertEquals(4, storm.count());
        assertEquals(List.of("fs1-OST0005", "fs1-OST0006", "fs1-OST0007", "fs1-OST0008"), storm.nodes());
        assertEquals("fs1-OST0005", storm.node());
        assertEquals(Category.CRITICAL, storm.category());
        assertEquals((T0 + 5) / 1000, storm.eventTime());
        assertTrue(storm.message().startsWith("fs1-OST*-osc-MDT0000: Connection to fs1-OST* (at *@o2ib) was lost"),
                storm.message());
        assertTrue(storm.message().endsWith(": 4 events in 0 ms; router or network suspect: o2ib"), storm.message());
        assertEquals(Long.MAX_VALUE, s.nextDeadlineMillis());
        assertEquals(4, s.stats().coalesced());
    }

    @Test
    void alikeTrapsSlowerThanTheThresholdAreNotCoalesced() {
        TrapStore s = store(100);
        for (int i = 0; i < 20; i++) {
            clock.set(T0 + i * 201L); // 5 per 1005 ms: never 6 in one window
            s.append(lost("fs1", Category.CRITICAL, i, "o2ib"));
        }
        assertEquals(20, s.newestSeq());
        assertEquals(0, s.stats().coalesced());
    }

    @Test
    void aLongStormIsPublishedEveryHoldTimeAndAppendPublishesDueOnes() {
        TrapStore s = store(100);
        int n = 0;
        for (long t = 0; t < 10_000; t += 10) {
            clock.set(T0 + t);
            if (clock.get() >= s.nextDeadlineMillis()) {
                s.tick();
            }
            s.append(lost("fs1", Category.CRITICAL, n++, "o2ib"));
        }
        clock.addAndGet(1_000);
        s.tick();
        List<Trap> t = all(s);
        assertEquals(5 + 4, t.size()); // 5 single, then storms of 3 s, 3 s, 3 s and the last second
        assertEquals(n, t.stream().mapToInt(Trap::count).sum());
        assertEquals(300, t.get(5).count());
        assertTrue(t.get(5).message().contains("300 events in 3 s"), t.get(5).message());
    }

    @Test
    void categoriesAndFileSystemsStormSeparately() {
        TrapStore s = store(100);
        for (int i = 0; i < 20; i++) {
            s.append(lost("fsa", Category.CRITICAL, i, "o2ib"));
            s.append(lost("fsa", Category.WARNING, i, "o2ib"));
            s.append(lost("fsb", Category.CRITICAL, i, "o2ib"));
        }
        clock.addAndGet(1_000);
        s.tick();
        List<Trap> storms = all(s).stream().filter(t -> t.id().endsWith("~storm")).toList();
        assertEquals(3, storms.size());
        assertEquals(List.of("fsa/critical", "fsa/warning", "fsb/critical"),
                storms.stream().map(t -> t.fs() + "/" + t.category()).toList());
        storms.forEach(t -> assertEquals(15, t.count()));
        assertEquals(15 + 3, s.newestSeq());
        assertArrayEquals(new long[] {0, 20, 20, 0}, s.countsByCategory("fsa"));
        assertArrayEquals(new long[] {0, 0, 20, 0}, s.countsByCategory("fsb"));
        assertEquals(Set.of("fsa", "fsb"), s.countsBySource().keySet());
    }

    @Test
    void tooManySimultaneousStormsOverflowIntoACatchAll() {
        TrapStore s = store(1_000);
        int kinds = StormCoalescer.MAX_AGGREGATES + 6;
        for (int k = 0; k < kinds; k++) {
            for (int i = 0; i < 10; i++) {
                s.append(new TrapEvent("k" + k + "." + i, T0, Category.WARNING, "fs1", "fs1-OST000" + i,
                        "kind " + k + " on fs1-OST000" + i, "kmsg"));
            }
        }
        clock.addAndGet(1_000);
        s.tick();
        List<Trap> t = all(s);
        assertEquals(kinds * 5 + StormCoalescer.MAX_AGGREGATES + 1, t.size());
        assertEquals(kinds * 10, t.stream().mapToInt(Trap::count).sum());
        Trap catchAll = t.get(t.size() - 1);
        assertEquals(6 * 5, catchAll.count());
        assertTrue(catchAll.message().startsWith("storm of several kinds (first: kind 64 on fs1-OST*)"),
                catchAll.message());
        assertEquals(kinds * 10, s.stats().received());
    }

    @Test
    void routerFailureWith100000DisconnectsFitsInTheStore() {
        TrapStore s = store(250);
        long heapBefore = usedHeap();
        int total = 100_000;
        for (int i = 0; i < total; i++) {
            if (i % 50 == 0) {
                clock.incrementAndGet(); // 100,000 events in 2 s
                if (clock.get() >= s.nextDeadlineMillis()) {
                    s.tick();
                }
            }
            s.append(lost("lustrefs", Category.CRITICAL, i, "o2ib1"));
        }
        clock.addAndGet(5_000);
        s.tick();
        long heapAfter = usedHeap();

        TrapStore.Stats st = s.stats();
        assertEquals(total, st.received());
        assertEquals(0, st.evicted());
        assertTrue(st.stored() <= 250, "stored " + st.stored());
        List<Trap> t = all(s);
        assertEquals(st.stored(), t.size());
        List<Trap> storms = t.stream().filter(x -> x.id().endsWith("~storm")).toList();
        long single = t.stream().filter(x -> !x.id().endsWith("~storm")).mapToLong(Trap::count).sum();
        long coalesced = storms.stream().mapToLong(Trap::count).sum();
        assertEquals(5, single);
        assertEquals(total, single + coalesced);
        assertEquals(coalesced, st.coalesced());
        assertTrue(storms.size() >= 1);
        Trap first = storms.get(0);
        assertTrue(first.message().contains("router or network suspect: o2ib1"), first.message());
        assertTrue(first.message().startsWith("lustrefs-OST*-osc-MDT0000: Connection to lustrefs-OST* (at *@o2ib1)"),
                first.message());
        assertEquals(10, first.nodes().size());
        assertEquals("lustrefs/critical/k5~storm", first.id());
        assertArrayEquals(new long[] {0, 0, total, 0}, s.countsByCategory("lustrefs"));
        long growth = heapAfter - heapBefore;
        assertTrue(growth < 16L << 20, "heap grew by " + growth + " bytes");
        assertNotNull(s); // keep the store reachable until after the measurement
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static List<Long> seqs(List<Trap> traps) {
        return traps.stream().map(Trap::seq).toList();
    }

    static List<Long> times(List<Trap> traps) {
        return traps.stream().map(Trap::time).toList();
    }

    // ------------------------------------------------------------ duplicates and history

    @Test
    void anIdAlreadyInTheStoreIsADuplicateNotASecondTrap() {
        TrapStore s = store(3);
        s.append(distinct(1));
        s.addRepeats("trapfile", 2);
        s.append(distinct(1)); // the trap file read again
        s.addRepeats("trapfile", 2); // its "Skipped" came with the first copy
        assertEquals(1, s.newestSeq());
        assertEquals(3, all(s).get(0).count());
        assertEquals(3, s.stats().received());
        // the ids remembered are those in the ring: once e1 has left it, e1 is stored again
        s.append(distinct(2));
        s.append(distinct(3));
        s.append(distinct(4));
        s.append(distinct(1));
        assertEquals(List.of("e3", "e4", "e1"), all(s).stream().map(Trap::id).toList());
    }

    @Test
    void historyIsTimedByItsEventSecondLiveTrapsByTheClock() {
        TrapStore s = store(10);
        long hourAgo = T0 - 3_600_000;
        s.appendHistory(new TrapEvent("h1", hourAgo + 500, Category.INFO, "fs1", "", "first", "trapfile"));
        s.appendHistory(new TrapEvent("h2", hourAgo - 60_000, Category.INFO, "fs1", "", "earlier, read later", "trapfile"));
        s.appendHistory(new TrapEvent("h3", T0 + 3_600_000, Category.INFO, "fs1", "", "a clock ahead", "trapfile"));
        s.appendHistory(new TrapEvent("h4", 0, Category.INFO, "fs1", "", "no time", "trapfile"));
        s.append(new TrapEvent("l1", hourAgo, Category.INFO, "fs1", "", "live", "trapfile"));
        List<Long> times = all(s).stream().map(Trap::time).toList();
        long now = T0 / 1000;
        assertEquals(List.of(hourAgo / 1000, hourAgo / 1000, now, now, now), times,
                "event second, never backwards, never after now; live: now");
        assertEquals(List.of("h1", "h2"), s.receivedIn(0, now - 1, 10).stream().map(Trap::id).toList());
    }

    @Test
    void historyIsNeverTimedAtOrBeforeASecondAlreadyHandedOut() {
        TrapStore s = store(10);
        long closed = s.closedSecond(); // a client was answered up to here
        s.appendHistory(new TrapEvent("h1", T0 - 3_600_000, Category.INFO, "fs1", "", "late history", "trapfile"));
        assertEquals(closed + 1, all(s).get(0).time());
    }

    @Test
    void aStormOfLongIdsStillHasABoundedStormId() {
        TrapStore s = store(100);
        String longId = "i".repeat(TrapEvent.MAX_NAME_BYTES - 2);
        for (int i = 0; i < 8; i++) {
            TrapEvent e = lost("fs1", Category.CRITICAL, i, "o2ib");
            s.append(new TrapEvent(longId + i, e.eventTimeMillis(), e.category(), e.fs(), e.node(), e.message(),
                    e.source()));
        }
        clock.addAndGet(5_000);
        s.tick();
        Trap storm = all(s).get(5);
        assertTrue(storm.id().endsWith("~storm"), storm.id());
        assertTrue(storm.id().length() <= TrapEvent.MAX_NAME_BYTES, storm.id());
    }
}
