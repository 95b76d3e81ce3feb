package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.apache.ws.commons.serialize.XMLWriterImpl;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.junit.jupiter.api.Test;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/** The cached trap fragments: an answer carrying them parses to the plain values; re-encoded when a trap changes. */
class EncodedTrapsTest {
    private final XmlRpcEndpoint endpoint = new XmlRpcEndpoint(new MethodTable(List.of()));

    private static Trap trap(long seq, String message, String node, String fs, int count, List<String> nodes) {
        return new Trap(seq, "id-" + seq + "-\u00e9<&>", 1_700_000_000L + seq, 1_699_999_000L + seq,
                Category.values()[(int) (seq % 4)], fs, node, message, count, "kmsg", nodes);
    }

    /** Every awkward text a trap may hold (TrapEvent.xmlSafe already removed what XML 1.0 cannot carry). */
    private static List<Trap> awkwardTraps() {
        List<Trap> traps = new ArrayList<>();
        traps.add(trap(1, "a & b < c > d", "fs1-OST0001", "fs1", 1, List.of()));
        traps.add(trap(2, "line\rreturn and\ttab", "fs1-OST0002", "fs1", 1, List.of()));
        traps.add(trap(3, "h\u00e9t\u00e9rog\u00e8ne \u00fc \u20ac \u4e2d\u6587", "n\u00f6de", "f\u00df", 3,
                List.of("a&b", "<c>")));
        traps.add(trap(4, "disk \uD83D\uDCBE full \uD83D\uDD25", "fs2-MDT0000", "fs2", 1, List.of()));
        traps.add(trap(5, "", "", "", 1, List.of()));
        traps.add(trap(6, "]]> \"quoted\" 'single' &amp; already", "x", "y", Integer.MAX_VALUE, List.of("")));
        traps.add(trap(7, "\uFFFD replacement, \u007F del, \u0085 nel, \u2028 ls", "z", "w", 1, List.of()));
        return traps;
    }

    /** A parsed or plain value with arrays as lists and structs sorted, so two can be compared with equals. */
    private static Object canon(Object v) {
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>();
            for (Object o : a) {
                out.add(canon(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(k, canon(x)));
            return out;
        }
        return v;
    }

    private static Object[] cachedTrapsResult(EncodedTraps cache, List<Trap> traps, int timestamp) {
        Object[] rows = new Object[traps.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = cache.row(traps.get(i));
        }
        return new Object[] {rows, timestamp};
    }

    private static Map<String, Object> cachedRecordsResult(EncodedTraps cache, List<Trap> traps) {
        Object[] rows = new Object[traps.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = cache.record(traps.get(i));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("traps", rows);
        m.put("cursor", 7);
        m.put("dropped", 0);
        return m;
    }

    @Test
    void cachedAnswersParseToThePlainValues() throws Exception {
        List<Trap> traps = awkwardTraps();
        EncodedTraps cache = new EncodedTraps(250);
        Object[] plainRows = traps.stream().map(EncodedTraps::plainRow).toArray();
        Object[] plainRecords = traps.stream().map(EncodedTraps::plainRecord).toArray();
        for (int pass = 0; pass < 2; pass++) { // first pass encodes, second is served from the cache
            Object got = Answer.parse(endpoint.answer(cachedTrapsResult(cache, traps, 1_700_000_100))).value();
            assertEquals(canon(new Object[] {plainRows, 1_700_000_100}), canon(got));
            Map<String, Object> records = new LinkedHashMap<>();
            records.put("traps", plainRecords);
            records.put("cursor", 7);
            records.put("dropped", 0);
            assertEquals(canon(records), canon(Answer.parse(endpoint.answer(cachedRecordsResult(cache, traps))).value()));
        }
        assertEquals(canon(new Object[] {new Object[0], 5}),
                canon(Answer.parse(endpoint.answer(cachedTrapsResult(cache, List.of(), 5))).value()));
    }

    @Test
    void escapingIsVisibleInTheBytes() throws Exception {
        EncodedTraps cache = new EncodedTraps(8);
        String xml = new String(cache.row(trap(1, "a & b < c > d\re", "n", "f", 1, List.of())).xml(), UTF_8);
        // the CR never reaches the writer: a Trap's message is made XML-safe when the trap is made
        assertEquals("<value><array><data><value>a &amp; b &lt; c &gt; d?e</value><value><i4>1</i4></value>"
                + "<value>n</value></data></array></value>", xml);
        String emoji = new String(cache.row(trap(2, "\uD83D\uDCBE\u00e9", "", "f", 1, List.of())).xml(), UTF_8);
        assertTrue(emoji.contains("<value>\uD83D\uDCBE\u00e9</value>"), emoji);
        assertTrue(emoji.endsWith("<value/></data></array></value>"), emoji);
    }

    @Test
    void otherTextIsEncodedLikeStringGetBytes() throws Exception {
        // lone surrogates and quotes are not in traps, but other answers may carry them
        String s = "lone \uD800 high, lone \uDC00 low, end high \uD83D";
        assertArrayEquals(new Object[] {"lone ? high, lone ? low, end high ?", "\"q\"", "tab\there"},
                (Object[]) Answer.parse(endpoint.answer(new Object[] {s, "\"q\"", "tab\there"})).value());
    }

    @Test
    void sameTrapObjectIsAHitAndACountChangeReencodes() {
        EncodedTraps cache = new EncodedTraps(250);
        Trap first = trap(42, "storm", "fs1-OST0001", "fs1", 10, List.of("fs1-OST0001", "fs1-OST0002"));
        EncodedValue r1 = cache.record(first);
        EncodedValue row1 = cache.row(first);
        assertSame(r1, cache.record(first), "the same trap object is served from the cache");
        assertSame(row1, cache.row(first));
        // the store publishes a new record with the same seq when the count grows
        Trap grown = new Trap(42, first.id(), first.time(), first.eventTime(), first.category(), first.fs(),
                first.node(), first.message(), 11, first.source(), first.nodes());
        EncodedValue r2 = cache.record(grown);
        assertNotSame(r1, r2);
        assertTrue(new String(r2.xml(), UTF_8).contains("<name>count</name><value><i4>11</i4></value>"));
        assertTrue(new String(r1.xml(), UTF_8).contains("<name>count</name><value><i4>10</i4></value>"));
        assertNotSame(row1, cache.row(grown), "the row is written again for the new object too");
        // a reader still holding the old object gets its own bytes, never the new trap's
        assertTrue(new String(cache.record(first).xml(), UTF_8).contains("<i4>10</i4>"));
    }

    @Test
    void aLappedSlotHoldsTheNewerTrap() {
        EncodedTraps cache = new EncodedTraps(4);
        Trap old = trap(3, "old", "a", "f", 1, List.of());
        Trap lapper = trap(7, "new", "b", "f", 1, List.of());
        assertTrue(new String(cache.row(old).xml(), UTF_8).contains("<value>old</value>"));
        assertTrue(new String(cache.row(lapper).xml(), UTF_8).contains("<value>new</value>"));
        assertTrue(new String(cache.row(old).xml(), UTF_8).contains("<value>old</value>"));
        // a huge store shares MAX_SLOTS slots: traps MAX_SLOTS apart take turns, each with its own bytes
        EncodedTraps capped = new EncodedTraps(1_000_000);
        Trap a = trap(10, "a", "n", "f", 1, List.of());
        Trap b = trap(10 + EncodedTraps.MAX_SLOTS, "b", "n", "f", 1, List.of());
        for (int i = 0; i < 2; i++) {
            assertTrue(new String(capped.record(a).xml(), UTF_8).contains("<value>a</value>"));
            assertTrue(new String(capped.record(b).xml(), UTF_8).contains("<value>b</value>"));
        }
    }

    @Test
    void anyOtherWriterGetsThePlainValue() throws Exception {
        EncodedTraps cache = new EncodedTraps(8);
        // no emoji: ws-commons XMLWriterImpl writes a pair as two invalid character references
        Trap t = trap(1, "a & \u00e9", "n", "f", 2, List.of("x"));
        XmlRpcHttpRequestConfigImpl config = AnswerTypes.answerConfig();
        StringWriter text = new StringWriter();
        XMLWriterImpl xmlWriter = new XMLWriterImpl();
        xmlWriter.setEncoding("UTF-8");
        xmlWriter.setWriter(text);
        new XmlRpcWriter(config, xmlWriter, new AnswerTypes(new XmlRpcServer()))
                .write(config, new Object[] {cache.row(t), cache.record(t)});
        Object[] got = (Object[]) Answer.parse(text.toString().getBytes(UTF_8)).value();
        assertArrayEquals(EncodedTraps.plainRow(t), (Object[]) got[0]);
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) got[1];
        assertEquals(2, record.get("count"));
        assertEquals("a & \u00e9", record.get("message"));
    }

    /**
     * The store's writer publishes new Trap objects (growing counts) into the slots while readers
     * encode whatever they find: every fragment a reader gets must be its own trap's, whole.
     */
    @Test
    void concurrentWriterAndReadersNeverSeeAnotherTrapsBytes() throws Exception {
        int slots = 8;
        EncodedTraps cache = new EncodedTraps(slots);
        AtomicReferenceArray<Trap> ring = new AtomicReferenceArray<>(slots);
        for (int i = 0; i < slots; i++) {
            ring.set(i, trap(i + 1, "m" + (i + 1), "n", "f", 1, List.of()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                int i = n++ % slots;
                Trap t = ring.get(i);
                // alternately a count change (same seq) and a lap (seq + slots)
                Trap next = n % 3 == 0
                        ? trap(t.seq() + slots, "m" + (t.seq() + slots), "n", "f", 1, List.of())
                        : trap(t.seq(), t.message(), "n", "f", t.count() + 1, List.of());
                ring.set(i, next);
            }
        }, "test-writer");
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            readers.add(new Thread(() -> {
                try {
                    for (int k = 0; k < 20_000; k++) {
                        Trap t = ring.get(k % slots);
                        String record = new String(cache.record(t).xml(), UTF_8);
                        String row = new String(cache.row(t).xml(), UTF_8);
                        String want = "<name>count</name><value><i4>" + t.count() + "</i4></value>";
                        if (!record.contains(want) || !record.contains("<value>m" + t.seq() + "</value>")
                                || !record.endsWith("</struct></value>")
                                || !row.equals("<value><array><data><value>m" + t.seq() + "</value><value><i4>"
                                        + t.category().code() + "</i4></value><value>n</value></data></array></value>")) {
                            throw new AssertionError("trap " + t.seq() + " count " + t.count() + " got " + record
                                    + " / " + row);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "test-reader-" + r));
        }
        writer.start();
        readers.forEach(Thread::start);
        try {
            for (Thread r : readers) {
                r.join(60_000);
            }
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        for (Thread r : readers) {
            assertTrue(!r.isAlive(), "reader did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
