package org.lustre.collector.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;

/**
 * getTraps(time): the traps received in (time, timestamp], their answer bytes bounded, and an
 * in-band notice of the traps the caller will never get (the contract: docs/design.md,
 * "Sequence numbers, cursors and the exactly-once contract").
 * <p>
 * The cap: a timestamp is a whole second, so an answer that would pass
 * {@link AnswerLimit#TRAP_BYTES} is cut before the first second that does not fit, and the
 * timestamp handed back is the second before it. Only when one second's traps alone pass the cap
 * is that second delivered in part and passed; the rest of it is counted in the notice.
 * <p>
 * The notice row, {@code ["N traps not delivered (maxtraps M): see getTrapRecords", 1, ""]}, is
 * exact for a timestamp handed out in the last {@link #MARKS} seconds: for each one the last
 * sequence number it covers is remembered, so a later call knows how many sequence numbers lay
 * between the two. For a time never handed out (another collector's, or older) the count is
 * unknown and no notice is given, except for time 0, which asks for everything since the start.
 * <p>
 * Threads: any number of request threads at once; the marks are replaced whole and the first one
 * recorded for a second wins, so every caller counts against the same boundary.
 */
final class TrapsSince {
    /** Seconds whose boundary is remembered (a ring indexed by second): ~68 minutes of polling. */
    static final int MARKS = 4096;

    /** The last sequence number covered by the timestamp {@code second}. */
    private record Mark(long second, long seq) {
    }

    /**
     * getTraps' answer before its timestamp is made an int: encoded rows of {@code [message,
     * category, node]} and at most one notice row.
     */
    record Answer(Object[] rows, long timestamp) {
    }

    private final TrapStore store;
    private final int maxTraps;
    private final EncodedTraps encoded;
    private final int capBytes;
    private final AtomicReferenceArray<Mark> marks = new AtomicReferenceArray<>(MARKS);

    TrapsSince(TrapStore store, int maxTraps, EncodedTraps encoded, int capBytes) {
        this.store = store;
        this.maxTraps = maxTraps;
        this.encoded = encoded;
        this.capBytes = capBytes;
    }

    /** The traps received after {@code time}, and the timestamp to pass back. */
    Answer answer(int time) {
        long upTo = store.closedSecond();
        if (upTo <= time) {
            return new Answer(new Object[0], time);
        }
        // before reading the traps: a boundary for 'time' computed now covers what we deliver
        long base = time == 0 ? 0 : known(time);
        List<Trap> traps = store.receivedIn(time, upTo, maxTraps);
        List<Object> rows = new ArrayList<>(traps.size() + 1);
        long bytes = 0;
        int cut = traps.size();
        for (int i = 0; i < traps.size(); i++) {
            EncodedValue row = encoded.row(traps.get(i));
            if (bytes + row.length() > capBytes && i > 0) {
                cut = i;
                break;
            }
            bytes += row.length();
            rows.add(row);
        }
        long timestamp = upTo;
        int skipped = 0;
        if (cut < traps.size()) {
            long next = traps.get(cut).time();
            int sameSecond = 0;
            while (sameSecond < cut && traps.get(cut - 1 - sameSecond).time() == next) {
                sameSecond++;
            }
            if (sameSecond < cut) {
                // give back the whole second 'next' next time
                rows.subList(cut - sameSecond, cut).clear();
                timestamp = next - 1;
            } else {
                // one second alone passes the cap: deliver what fits of it and move past it
                timestamp = next;
                while (cut + skipped < traps.size() && traps.get(cut + skipped).time() == next) {
                    skipped++;
                }
            }
        }
        long end = boundary(timestamp);
        if (base >= 0) {
            long notDelivered = Math.max(0, end - base - rows.size());
            if (notDelivered > 0) {
                rows.add(0, notice(notDelivered));
            }
        } else if (skipped > 0) {
            rows.add(0, notice(skipped));
        }
        return new Answer(rows.toArray(), timestamp);
    }

    private Object[] notice(long n) {
        return new Object[] {n + " trap" + (n == 1 ? "" : "s") + " not delivered (maxtraps " + maxTraps
                + ", at most " + AnswerLimit.mib(capBytes) + " an answer): see getTrapRecords", 1, ""};
    }

    /** The boundary remembered for a timestamp handed out, else -1 (unknown). */
    private long known(long second) {
        Mark m = marks.get(slot(second));
        return m != null && m.second() == second ? m.seq() : -1;
    }

    /**
     * The last sequence number the timestamp {@code second} covers, remembered for later calls:
     * every trap with a higher one was received after {@code second}, or left the store before
     * this call. Only for a second already closed (no trap can still get a receive time at or
     * below it). The first one recorded for a second stays.
     */
    private long boundary(long second) {
        long known = known(second);
        if (known >= 0) {
            return known;
        }
        // read before the scan: if no stored trap is newer than 'second', all up to p are older
        long p = store.newestSeq();
        List<Trap> after = store.receivedIn(second, Long.MAX_VALUE, 1);
        // the first stored trap after 'second': all before it are older or gone
        long seq = after.isEmpty() ? p : after.get(0).seq() - 1;
        int i = slot(second);
        Mark mine = new Mark(second, seq);
        while (true) {
            Mark m = marks.get(i);
            if (m != null && m.second() == second) {
                return m.seq();
            }
            if (m != null && m.second() > second) {
                return seq; // a newer second owns the slot: this one is too old to remember
            }
            if (marks.compareAndSet(i, m, mine)) {
                return seq;
            }
        }
    }

    private static int slot(long second) {
        return (int) Math.floorMod(second, (long) MARKS);
    }
}
