package org.lustre.collector.trap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;


/**
 * The newest traps, in memory, with their counters. docs/design.md tells
 * the data path, the threads and the exactly-once contract ("Sequence numbers, cursors and the
 * exactly-once contract"); what follows is what only this class needs to keep.
 *
 * <h2>Threads</h2>
 * <b>One writer, many readers</b> (docs/design.md, "Threads, and who writes what"):
 * {@link #append}, {@link #addRepeats}, {@link #tick} and {@link #nextDeadlineMillis} belong to
 * the watcher (asserted); every other method may be called from any thread, takes no lock and
 * never makes the writer wait. A reader that has read newest seq {@code P} finds every seq in
 * {@code (P - maxTraps, P]} in its slot unless the writer has lapped it meanwhile, which it sees
 * because the slot then holds a larger seq.
 *
 * <h2>Receive times</h2>
 * Whole epoch seconds that never go backwards, even when the clock does, so times grow with the
 * seqs; {@link #closedSecond()} says why getTraps' upper bound must come from there. A trap read
 * back from history at start-up ({@link #appendHistory}) is timed by its own event second
 * instead of the clock, never later than now, and still never before the last receive time nor
 * at or before a closed second.
 *
 * <h2>Restarts</h2>
 * Nothing is kept on disk, so after a restart the store is rebuilt from history:
 * <ul>
 * <li>getTraps: a replayed trap's receive time is its event second, which a client's timestamp
 * from the earlier run already covers when that run delivered it. This is exact when the
 * earlier run, too, received the trap within its event second, as a trap file and kernel log
 * read as they are written do. A trap that reached the earlier run's store late had a later
 * receive time there than on replay: if the client's timestamp lies between the two, that trap
 * is not sent again although the client never got it. State changes of the tree and a FIFO's
 * lines have no history and are not replayed.</li>
 * <li>getTrapRecords: a cursor that the new run has already passed is taken for one of its own:
 * the client misses the new run's traps up to it, or is told of them as dropped.</li>
 * <li>Duplicates: an event whose id is in the ring is not stored again; a copy arriving after
 * its first left the ring is.</li>
 * </ul>
 *
 * <h2>Storm coalescing</h2>
 * Alike traps arriving faster than the {@link StormPolicy} allows are folded into one trap by the
 * {@link StormCoalescer}. Nothing is published from a timer of the store's own: the writer calls
 * {@link #tick} when {@link #nextDeadlineMillis} has come (append does it too).
 */
public final class TrapStore {
    private static final Logger LOG = LogManager.getLogger(TrapStore.class);
    private static final long NONE_IN_FLIGHT = Long.MAX_VALUE;
    /** Distinct file systems counted by name; the design's scale is 100, input may be garbage. */
    static final int MAX_FILE_SYSTEMS = 1024;

    /** A reader's batch: see the class comment on cursor and dropped. */
    public record Page(List<Trap> traps, long cursor, long dropped) {
        public Page {
            traps = List.copyOf(traps);
        }
    }

    /**
     * Counters; each is read on its own, so the four are not one atomic snapshot.
     *
     * @param received  events received: stored, coalesced or repeated ("Skipped N ...")
     * @param stored    traps in the ring now
     * @param coalesced events folded into storm traps (published or still pending)
     * @param evicted   traps that left the ring
     */
    public record Stats(long received, long stored, long coalesced, long evicted) {
    }

    private final int capacity;
    private final LongSupplier clockMillis;
    private final AtomicReferenceArray<Trap> ring;

    // --- written by the writer only, read by anyone ---
    private volatile long published;
    private volatile long lastTime;
    /** Receive time being given to a trap not yet published, else NONE_IN_FLIGHT. */
    private volatile long appendingTime = NONE_IN_FLIGHT;
    // each counter is read on its own, so several are not one atomic snapshot
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    /** Events received by file system, then source, by category code. */
    private final Map<String, Map<String, AtomicLongArray>> byFs = new ConcurrentHashMap<>();

    // --- raised by readers (closedSecond), read by the writer ---
    /** The highest second a reader has declared closed: later traps get a greater receive time. */
    private final AtomicLong closedFloor = new AtomicLong(Long.MIN_VALUE);
    /** The highest value closedSecond() has returned: its results never go backwards. */
    private final AtomicLong closedHandedOut = new AtomicLong(Long.MIN_VALUE);

    // --- writer thread only ---
    private volatile Thread writer;
    private long lastMillis = Long.MIN_VALUE;
    private final StormCoalescer storms;
    private final Map<String, Last> lastBySource = new HashMap<>();
    /** The id of every trap in the ring, to its trap: what makes a second copy a duplicate. */
    private final Map<String, Trap> idsInRing = new HashMap<>();
    private boolean warnedFileSystems;

    /**
     * @param maxTraps    most traps kept (the newest), at least 1
     * @param policy      storm coalescing thresholds
     * @param clockMillis epoch milliseconds (System::currentTimeMillis in production, a fake in
     *                    tests); called by the writer and by {@link #closedSecond()}, so from any thread
     */
    public TrapStore(int maxTraps, StormPolicy policy, LongSupplier clockMillis) {
        if (maxTraps < 1) {
            throw new IllegalArgumentException("maxTraps must be at least 1: " + maxTraps);
        }
        this.capacity = maxTraps;
        this.clockMillis = clockMillis;
        this.ring = new AtomicReferenceArray<>(maxTraps);
        this.storms = new StormCoalescer(policy);
    }

    public int capacity() {
        return capacity;
    }

    // ------------------------------------------------------------------ writer

    /**
     * Receives one event as it happens: counts it, then stores it or folds it into a storm; its
     * receive time is now. An event whose id is already in the store is a duplicate: neither
     * counted nor stored. Writer thread only.
     */
    public void append(TrapEvent e) {
        append(e, false);
    }

    /**
     * Receives one event read back from history at start-up: as {@link #append}, but timed by its
     * event (see "Receive times" in the class comment). Writer thread only.
     */
    public void appendHistory(TrapEvent e) {
        append(e, true);
    }

    private void append(TrapEvent e, boolean history) {
        assert onWriterThread() : "TrapStore written by " + Thread.currentThread() + ", writer is " + writer;
        long now = nowMillis();
        storms.publishDue(now, this::publishAggregate);
        String id = TrapEvent.xmlSafe(e.id()); // as the Trap will hold it
        if (idsInRing.containsKey(id)) {
            // a "Skipped N" after the copy belongs to the first one, which already had its own
            lastBySource.put(e.source(), new Last(-1, e.fs(), e.category(), null));
            return;
        }
        count(e.fs(), e.source(), e.category(), 1);
        StormAggregate agg = storms.offer(e, now, history);
        if (agg != null) {
            coalesced.incrementAndGet();
            lastBySource.put(e.source(), new Last(0, e.fs(), e.category(), agg));
            return;
        }
        long seq = published + 1;
        long time = stampTime(history ? historySecond(e.eventTimeMillis(), now) : Math.floorDiv(now, 1000));
        publish(new Trap(seq, id, time, Math.floorDiv(e.eventTimeMillis(), 1000), e.category(), e.fs(),
                e.node(), e.message(), 1, e.source(), List.of()), time);
        lastBySource.put(e.source(), new Last(seq, e.fs(), e.category(), null));
    }

    /**
     * The second a replayed event is received at, before the store's own rules (never backwards,
     * after every closed second): its event second, but not later than now (a writer's clock
     * ahead of ours) and not before 1 (0 means "none" to getTraps clients).
     */
    private static long historySecond(long eventMillis, long nowMillis) {
        return Math.max(1, Math.min(Math.floorDiv(eventMillis, 1000), Math.floorDiv(nowMillis, 1000)));
    }

    /**
     * "Skipped N previous similar messages": adds {@code n} to the last trap stored (or being
     * coalesced) from {@code source}, and to the counters. With no such trap the events are
     * counted as received for fs "" as Info. Writer thread only.
     */
    public void addRepeats(String source, int n) {
        assert onWriterThread() : "TrapStore written by " + Thread.currentThread() + ", writer is " + writer;
        if (n <= 0) {
            return;
        }
        Last last = lastBySource.get(source == null ? "" : source);
        if (last != null && last.seq() < 0) {
            return; // repeats of a duplicate: counted with the first copy
        }
        if (last == null) {
            count("", source, Category.INFO, n);
            return;
        }
        count(last.fs(), source, last.category(), n);
        long seq = last.seq();
        if (last.storm() != null) {
            coalesced.addAndGet(n);
            if (last.storm().seq() == 0) {
                last.storm().addRepeats(n);
                return;
            }
            seq = last.storm().seq();
        }
        int slot = slot(seq);
        Trap t = ring.get(slot);
        if (t != null && t.seq() == seq) {
            int count = (int) Math.min((long) t.count() + n, Integer.MAX_VALUE);
            ring.set(slot, new Trap(t.seq(), t.id(), t.time(), t.eventTime(), t.category(), t.fs(), t.node(),
                    t.message(), count, t.source(), t.nodes()));
        }
    }

    /** Publishes the storm aggregates whose time has come. Writer thread only. */
    public void tick() {
        assert onWriterThread() : "TrapStore written by " + Thread.currentThread() + ", writer is " + writer;
        storms.publishDue(nowMillis(), this::publishAggregate);
    }

    /**
     * When {@link #tick} must run next, in the clock's milliseconds; Long.MAX_VALUE when no storm
     * is pending. May be early (a spurious tick is harmless), never late. Writer thread only.
     */
    public long nextDeadlineMillis() {
        assert onWriterThread() : "TrapStore used by " + Thread.currentThread() + ", writer is " + writer;
        return storms.nextDeadline();
    }

    private void publishAggregate(StormAggregate agg) {
        long time = stampTime(agg.history() ? historySecond(agg.eventTimeMillis(), lastMillis)
                : Math.floorDiv(lastMillis, 1000));
        publish(agg.publish(published + 1, time), time);
    }

    /**
     * Fills the slot, then publishes the seq (the volatile write that makes the slot visible to
     * readers that read {@code published}), then ends the in-flight time that stampTime started.
     */
    private void publish(Trap t, long time) {
        int slot = slot(t.seq());
        Trap evicted = ring.get(slot);
        if (evicted != null) {
            Trap held = idsInRing.get(evicted.id());
            if (held != null && held.seq() == evicted.seq()) {
                idsInRing.remove(evicted.id());
            }
        }
        idsInRing.put(t.id(), t);
        ring.set(slot, t);
        lastTime = time;
        published = t.seq();
        appendingTime = NONE_IN_FLIGHT;
    }

    /**
     * The receive time of the trap about to be published: never below the last one, and above
     * every second a reader has declared closed. The handshake with {@link #closedSecond()}:
     * announce the time (volatile write), then read the floor; if a reader raised the floor
     * meanwhile, go above it and announce again. Either this read sees the reader's floor, or
     * the reader's later read of {@code appendingTime} sees this announcement and closes less.
     */
    private long stampTime(long second) {
        long t = Math.max(Math.max(lastTime, second), closedFloor.get() + 1);
        while (true) {
            appendingTime = t;
            long floor = closedFloor.get();
            if (t > floor) {
                return t;
            }
            t = floor + 1;
        }
    }

    /** Counts {@code n} events received for {@code fs} from {@code source} in {@code category}. */
    private void count(String fs, String source, Category category, int n) {
        received.addAndGet(n);
        Map<String, AtomicLongArray> sources = byFs.get(fs);
        if (sources == null) {
            if (byFs.size() >= MAX_FILE_SYSTEMS) {
                if (!warnedFileSystems) {
                    warnedFileSystems = true;
                    LOG.warn("more than {} file system names seen; counting further ones under \"\" (first: {})",
                            MAX_FILE_SYSTEMS, fs);
                }
                fs = "";
            }
            sources = byFs.computeIfAbsent(fs, k -> new ConcurrentHashMap<>());
        }
        // Sources are the collector's own names (a handful), not input.
        sources.computeIfAbsent(source == null ? "" : source, k -> new AtomicLongArray(Category.values().length))
                .addAndGet(category.code(), n);
    }

    /** The clock, never going backwards (storm windows and receive times use this). */
    private long nowMillis() {
        long now = clockMillis.getAsLong();
        if (now > lastMillis) {
            lastMillis = now;
        }
        return lastMillis;
    }

    private boolean onWriterThread() {
        Thread current = Thread.currentThread();
        if (writer == null) {
            writer = current;
        }
        return writer == current;
    }

    private int slot(long seq) {
        return (int) ((seq - 1) % capacity);
    }

    /** The last trap a source produced: a stored seq, or a storm (pending or published); seq -1 for a duplicate. */
    private record Last(long seq, String fs, Category category, StormAggregate storm) {
    }

    // ------------------------------------------------------------------ readers

    /**
     * Traps with seq greater than {@code cursor}, oldest first, at most {@code limit}; see the
     * class comment for cursor and dropped. A negative cursor is 0, a cursor beyond the newest
     * seq (an earlier run's) is 0 with no dropped. Any thread.
     */
    public Page read(long cursor, int limit) {
        long p = published;
        boolean stale = cursor > p;
        long from = stale || cursor < 0 ? 0 : cursor;
        if (limit <= 0) {
            return new Page(List.of(), from, 0);
        }
        List<Trap> out = new ArrayList<>(Math.min(limit, capacity));
        long s = Math.max(from + 1, p - capacity + 1);
        while (s <= p && out.size() < limit) {
            Trap t = ring.get(slot(s));
            if (t.seq() == s) {
                out.add(t);
                s++;
                continue;
            }
            // the writer lapped us while we read: slot s holds t.seq() > s
            if (!out.isEmpty()) {
                break; // keep what we have contiguous; the next read reports the gap as dropped
            }
            // everything up to t.seq() - capacity is overwritten; start again from what may remain
            p = published;
            s = Math.max(s, t.seq() - capacity + 1);
        }
        if (out.isEmpty()) {
            return new Page(List.of(), from, 0);
        }
        long first = out.get(0).seq();
        long dropped = stale ? 0 : first - (from + 1);
        return new Page(out, out.get(out.size() - 1).seq(), dropped);
    }

    /**
     * The last whole second already closed: the {@code upToSec} to pass to {@link #receivedIn}
     * (and the timestamp getTraps returns). Any thread; lock-free.
     * <p>
     * Why not just "clock seconds - 1": a trap whose receive time the writer has just taken but
     * not yet published could carry a time at or below it, and a client passing the timestamp
     * back would never see that trap. Here the reader first raises a floor that every later
     * receive time must exceed, then reads the time of the trap in flight, if any, and stays below
     * it. The floor also keeps the result from going backwards when the clock does.
     * <p>
     * An announced time can be stale: the writer may have taken it before the floor last rose
     * and not yet re-checked, so it will be raised above the floor. Staying below such a time
     * would hand a client a second earlier than one already handed out, and the client would get
     * some traps twice. So the result is also never below the highest result given so far, which
     * is safe: that earlier call raised the floor before this announcement could have re-checked
     * it, so this trap too will end up above that earlier result.
     */
    public long closedSecond() {
        long handedOut = closedHandedOut.get();
        long closed = closedFloor.accumulateAndGet(Math.floorDiv(clockMillis.getAsLong(), 1000) - 1, Math::max);
        long inFlight = appendingTime;
        long safe = inFlight == NONE_IN_FLIGHT ? closed : Math.min(closed, inFlight - 1);
        return closedHandedOut.accumulateAndGet(Math.max(handedOut, safe), Math::max);
    }

    /**
     * Traps still in the ring whose receive time t satisfies {@code afterSec < t <= upToSec},
     * oldest first, at most {@code limit}; {@code upToSec} from {@link #closedSecond()} makes it
     * exactly-once. When more than {@code limit} match, the caller must not hand {@code upToSec}
     * back as the next start (the rest would be skipped); {@code limit >= maxTraps} rules that out.
     * Any thread.
     */
    public List<Trap> receivedIn(long afterSec, long upToSec, int limit) {
        if (limit <= 0 || upToSec <= afterSec) {
            return List.of();
        }
        long p = published;
        List<Trap> out = new ArrayList<>();
        for (long s = firstAfter(afterSec, p); s <= p && out.size() < limit; s++) {
            Trap t = ring.get(slot(s));
            if (t.seq() != s) {
                continue; // lapped meanwhile: newer than p, hence received after upToSec or gone
            }
            if (t.time() > upToSec) {
                break; // times grow with seqs
            }
            if (t.time() > afterSec) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The lowest seq in the ring, up to {@code p}, received after {@code afterSec} (or p + 1):
     * a binary search, since receive times grow with the seqs. A slot the writer has lapped counts
     * as "not after": lapping eats the ring from its old end, so every seq below a lapped one is
     * lapped too and the search never skips a trap that is still there.
     */
    private long firstAfter(long afterSec, long p) {
        long lo = Math.max(1, p - capacity + 1);
        long hi = p + 1;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            Trap t = ring.get(slot(mid));
            if (t.seq() == mid && t.time() > afterSec) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Receive time of the newest trap, epoch seconds; 0 when none. Any thread. */
    public long lastReceiveTime() {
        return published == 0 ? 0 : lastTime;
    }

    /** The newest seq published, 0 when none. Any thread. */
    public long newestSeq() {
        return published;
    }

    /** Any thread. */
    public Stats stats() {
        long p = published;
        return new Stats(received.get(), Math.min(p, capacity), coalesced.get(), Math.max(0, p - capacity));
    }

    /** Events received for {@code fs} by category code (Info, Warning, Critical, Fatal); zeros when unknown. Any thread. */
    public long[] countsByCategory(String fs) {
        long[] out = new long[Category.values().length];
        Map<String, AtomicLongArray> sources = fs == null ? null : byFs.get(fs);
        if (sources != null) {
            for (AtomicLongArray counts : sources.values()) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += counts.get(i);
                }
            }
        }
        return out;
    }

    /**
     * Events received by file system ("" unknown), then source (trapfile, kmsg, scan,
     * collector), each by category code; sorted by both. Any thread.
     */
    public Map<String, Map<String, long[]>> countsBySource() {
        Map<String, Map<String, long[]>> out = new TreeMap<>();
        byFs.forEach((fs, sources) -> sources.forEach((source, counts) -> {
            long[] c = new long[Category.values().length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts.get(i);
            }
            out.computeIfAbsent(fs, k -> new TreeMap<>()).put(source, c);
        }));
        return out;
    }
}
