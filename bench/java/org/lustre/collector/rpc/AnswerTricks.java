package org.lustre.collector.rpc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.serializer.DefaultXMLWriterFactory;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.lustre.collector.service.Collector;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * The answer tricks of the API side by side with their plain versions, for the bench (the classes
 * are package-private, hence this class in their package). Every method makes one answer over the
 * collector's store and returns its length, so the work cannot be skipped.
 * <ul>
 * <li>The writer: {@link AnswerSerializer} against what Apache XML-RPC's own server writes with
 * (its DefaultXMLWriterFactory: ws-commons' XMLWriterImpl over a BufferedWriter and an
 * OutputStreamWriter), both under the same XmlRpcWriter, writing the same getTraps(0) answer built
 * of plain values beforehand, into a byte array.</li>
 * <li>The fragment cache ({@link EncodedTraps}): getTraps(0) answered and written with the
 * collector's cache against a new, empty one each call (every fragment written again).</li>
 * <li>The size hints: getTrapRecords(0, limit) written into a buffer of the size the last answer
 * asked for and handed out uncopied, as {@link XmlRpcEndpoint} does, against a buffer of the
 * endpoint's default 8 KiB grown by doubling and copied out.</li>
 * </ul>
 * One thread.
 */
public final class AnswerTricks {
    private static final int DEFAULT_BUFFER = 8192;

    private final TrapStore store;
    private final int maxTraps;
    private final CollectorApi api;
    private final XmlRpcEndpoint endpoint;
    private final EncodedTraps cache;
    private final XmlRpcHttpRequestConfigImpl config = AnswerTypes.answerConfig();
    private final AnswerTypes types = new AnswerTypes(new XmlRpcServer());
    private final TypeFactoryImpl stockTypes = new TypeFactoryImpl(new XmlRpcServer());
    private final DefaultXMLWriterFactory stockWriters = new DefaultXMLWriterFactory();
    /** getTraps(0) as plain values: {rows of [message, category, node], timestamp}. */
    private final Object[] plainTraps;
    private int recordsHint = DEFAULT_BUFFER;

    /** Over the traps the collector's store holds now (the store must not change afterwards). */
    public AnswerTricks(Collector collector) {
        store = collector.store();
        maxTraps = collector.config().maxTraps();
        api = new CollectorApi(collector);
        endpoint = new XmlRpcEndpoint(new MethodTable(api.methods()));
        cache = new EncodedTraps(store.capacity());
        List<Trap> traps = store.receivedIn(0, store.closedSecond(), maxTraps);
        Object[] rows = new Object[traps.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = EncodedTraps.plainRow(traps.get(i));
        }
        plainTraps = new Object[] {rows, AnswerTypes.clampInt(store.closedSecond())};
    }

    /** A whole call as the servlet makes it (parse, dispatch, answer, write), every trick in. */
    public int call(byte[] body) {
        return endpoint.reply(body, null).length();
    }

    /** The plain getTraps(0) written by AnswerSerializer. */
    public int writeOurs() {
        try {
            AnswerSerializer out = new AnswerSerializer(DEFAULT_BUFFER);
            new XmlRpcWriter(config, out, types).write(config, plainTraps);
            return out.toByteArray().length;
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same answer written the way Apache XML-RPC's server writes one. */
    public int writeStock() {
        return stock(plainTraps).length;
    }

    private byte[] stock(Object result) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(DEFAULT_BUFFER);
            ContentHandler out = stockWriters.getXmlWriter(config, bytes);
            new XmlRpcWriter(config, out, stockTypes).write(config, result);
            return bytes.toByteArray();
        } catch (SAXException | XmlRpcException e) {
            throw new IllegalStateException(e);
        }
    }

    /** getTraps(0) with the fragments the collector keeps. */
    public int getTrapsCached() {
        return getTraps(cache).length;
    }

    /** getTraps(0) with every fragment written again. */
    public int getTrapsUncached() {
        return getTraps(new EncodedTraps(store.capacity())).length;
    }

    /** As CollectorApi.getTraps(0), with the given cache, written as the endpoint writes an answer. */
    private byte[] getTraps(EncodedTraps fragments) {
        // a TrapsSince a call on both sides, so both work out the timestamp's boundary alike
        TrapsSince since = new TrapsSince(store, maxTraps, fragments, AnswerLimit.TRAP_BYTES);
        TrapsSince.Answer a = since.answer(0);
        try {
            return endpoint.answer(new Object[] {a.rows(), AnswerTypes.clampInt(a.timestamp())});
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * getTrapRecords(0, maxtraps) into a buffer sized by the last answer, the buffer handed out
     * uncopied: XmlRpcEndpoint's answer path (its hint rule, restated here since it is private).
     */
    public int recordsHinted() {
        AnswerSerializer out = records(recordsHint);
        int size = out.size();
        if (size > recordsHint || size < recordsHint / 2) {
            recordsHint = size + size / 8 + 256;
        }
        return out.buffer().length + size;
    }

    /** getTrapRecords(0, maxtraps) into a default 8 KiB buffer, copied out. */
    public int recordsDefault() {
        return records(DEFAULT_BUFFER).toByteArray().length;
    }

    private AnswerSerializer records(int initialBytes) {
        try {
            AnswerSerializer out = new AnswerSerializer(initialBytes);
            new XmlRpcWriter(config, out, types).write(config, api.getTrapRecords(0, maxTraps));
            return out;
        } catch (SAXException | XmlRpcException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Null when each pair wrote the same answer: the two writers' answers parse to the same value,
     * the cached and uncached getTraps are the same bytes, and so are both getTrapRecords; else
     * what differs.
     */
    public String differences() {
        try {
            AnswerSerializer ours = new AnswerSerializer(DEFAULT_BUFFER);
            new XmlRpcWriter(config, ours, types).write(config, plainTraps);
            Object a = Answer.parse(ours.toByteArray()).value();
            Object b = Answer.parse(stock(plainTraps)).value();
            if (!Arrays.deepEquals(new Object[] {a}, new Object[] {b})) {
                return "the two writers' getTraps answers differ";
            }
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
        if (!Arrays.equals(getTraps(cache), getTraps(new EncodedTraps(store.capacity())))) {
            return "getTraps with and without the fragment cache differ";
        }
        if (!Arrays.equals(records(recordsHint).toByteArray(), records(DEFAULT_BUFFER).toByteArray())) {
            return "getTrapRecords with and without the size hint differ";
        }
        return null;
    }
}
