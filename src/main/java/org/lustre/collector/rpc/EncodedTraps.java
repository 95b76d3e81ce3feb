package org.lustre.collector.rpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import org.lustre.collector.trap.Trap;
import org.xml.sax.SAXException;

/**
 * The answer fragments of the stored traps, each written once: a getTraps row
 * {@code [message, category, node]} and a getTrapRecords struct, as {@link EncodedValue}s. A
 * 250-trap answer is then 250 copies instead of 250 walks through Apache XML-RPC's serializers
 * and the escaping of every character (BENCHMARKS.md section 8, "answer cache").
 * <p>
 * Bounded like the store: one slot per ring slot ({@code seq % capacity}), at most
 * {@link #MAX_SLOTS}. Each slot holds the {@link Trap} object its fragments were written from. A
 * fragment is used only for that same object ({@code ==}): a coalesced or repeated trap whose
 * count changes is a new Trap in the same slot, so it is written again, and a slot lapped by a
 * newer trap simply misses (and is emptied then).
 * <p>
 * Bounded in bytes too, since a fragment is as long as its escaped message (64 KiB of '&amp;'
 * is 320 KiB): at most {@link #MAX_BYTES} are cached in all, and no fragment over
 * {@link #MAX_FRAGMENT} is cached at all. A fragment that does not fit is still written and
 * returned, only not kept: such traps cost their encoding on every call, never memory.
 * <p>
 * Threads: any number of request threads at once. Each slot holds an immutable entry, replaced
 * whole; two threads writing the same slot at once only cost one of them its work, and a reader
 * can never pair one trap with another's bytes.
 */
final class EncodedTraps {
    private record Entry(Trap trap, EncodedValue row, EncodedValue record) {
    }

    /** Beyond this the newest traps, those pollers ask for, share the slots; older ones miss more. */
    static final int MAX_SLOTS = 4096;

    /** Most bytes of fragments kept, both kinds together. */
    static final long MAX_BYTES = 8L << 20;
    /** Longest fragment kept; a normal trap's is well under 2 KB. */
    static final int MAX_FRAGMENT = 64 << 10;

    private final AtomicReferenceArray<Entry> slots;
    /** Bytes held by the entries now in {@link #slots}; kept exact by swapping entries with getAndSet. */
    private final AtomicLong cachedBytes = new AtomicLong();

    /** @param capacity the store's capacity (maxtraps) */
    EncodedTraps(int capacity) {
        slots = new AtomicReferenceArray<>(Math.max(1, Math.min(capacity, MAX_SLOTS)));
    }

    /** The getTraps row of {@code t}: an array [message, category code, node]. */
    EncodedValue row(Trap t) {
        return fragment(t, false);
    }

    /** The getTrapRecords struct of {@code t}. */
    EncodedValue record(Trap t) {
        return fragment(t, true);
    }

    /** The cached fragment of {@code t}, written (and cached when there is room) on a miss. */
    private EncodedValue fragment(Trap t, boolean record) {
        int i = slot(t);
        Entry e = slots.get(i);
        if (e != null && e.trap() == t) {
            EncodedValue cached = record ? e.record() : e.row();
            if (cached != null) {
                return cached;
            }
        } else {
            e = null;
        }
        EncodedValue made = encode(t, record ? () -> plainRecord(t) : () -> plainRow(t));
        Entry replacement = record ? new Entry(t, e == null ? null : e.row(), made)
                : new Entry(t, made, e == null ? null : e.record());
        if (made.length() > MAX_FRAGMENT || cachedBytes.get() + made.length() > MAX_BYTES) {
            // not kept; a stale entry of a lapped trap is dropped all the same, freeing its bytes
            replacement = e;
        }
        Entry old = slots.getAndSet(i, replacement);
        cachedBytes.addAndGet(bytes(replacement) - bytes(old));
        return made;
    }

    private static long bytes(Entry e) {
        if (e == null) {
            return 0;
        }
        return (e.row() == null ? 0 : e.row().length()) + (e.record() == null ? 0 : e.record().length());
    }

    /** Bytes of fragments kept now (for tests). */
    long cachedBytes() {
        return cachedBytes.get();
    }

    /** Strings, ints and arrays of them always encode: a failure here is a bug, hence unchecked. */
    private static EncodedValue encode(Trap t, Supplier<Object> plain) {
        try {
            return AnswerTypes.encode(plain);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot encode trap " + t.seq() + ": " + e.getMessage(), e);
        }
    }

    private int slot(Trap t) {
        return (int) Math.floorMod(t.seq(), (long) slots.length());
    }

    /** getTraps' row as Apache XML-RPC values; what {@link #row} encodes. */
    static Object[] plainRow(Trap t) {
        return new Object[] {t.message(), t.category().code(), t.node()};
    }

    /** getTrapRecords' struct as Apache XML-RPC values; what {@link #record} encodes. */
    static Map<String, Object> plainRecord(Trap t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", t.id());
        r.put("time", AnswerTypes.clampInt(t.time()));
        r.put("eventTime", AnswerTypes.clampInt(t.eventTime()));
        r.put("category", t.category().code());
        r.put("node", t.node());
        r.put("fs", t.fs());
        r.put("message", t.message());
        r.put("count", t.count());
        r.put("source", t.source());
        r.put("nodes", t.nodes().toArray());
        return r;
    }
}
