package org.lustre.collector.rpc;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.client.XmlRpcClientRequestImpl;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.parser.XmlRpcRequestParser;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.apache.xmlrpc.server.XmlRpcNoSuchHandlerException;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.xml.sax.SAXException;

/**
 * One XML-RPC exchange, bytes in, bytes out, with Apache XML-RPC doing the work: its parser
 * reads the call, its server dispatches through our {@link MethodTable}, its writer writes the
 * answer. Servlet-free, so the hostile-input cases are testable without a server.
 * <p>
 * What we add, and why: upstream's stream server answers every fault with code 0, logs each one
 * with a stack trace, and streams the answer so a result its type system cannot write ends as an
 * empty HTTP 200. Here the answer is written to a buffer first; a failure while writing becomes a
 * -32603 fault; parse errors answer -32700 and unknown methods -32601; faults never carry a
 * cause, a stack trace or a Java class name. Thread-safe: one instance serves all requests.
 * <p>
 * Hardened SAX readers are reused ({@link SaxReaders}): creating one costs more than a small call.
 * Answers are written by {@link AnswerSerializer}, not by ws-commons' XMLWriterImpl (what Apache
 * XML-RPC's own server uses) nor by the JDK's StAX writer: both check every character against the
 * encoder one at a time (BENCHMARKS.md section 8, "answer writer"), and XMLWriterImpl writes an
 * emoji as two character references that no parser accepts.
 */
public final class XmlRpcEndpoint {
    private static final Logger LOG = LogManager.getLogger(XmlRpcEndpoint.class);

    private final XmlRpcServer server = new XmlRpcServer();
    private final XmlRpcHttpRequestConfigImpl config = AnswerTypes.answerConfig();
    private final AnswerTypes types;
    private final SaxReaders readers = new SaxReaders();
    /**
     * Per method: the buffer size its next answer starts with, from its last answer, so that a
     * large answer is not grown from 8 KB by doubling (BENCHMARKS.md section 8, "size hints").
     */
    private final ConcurrentHashMap<String, Integer> sizeHints = new ConcurrentHashMap<>();
    private static final int MAX_SIZE_HINT = 4 << 20;

    public XmlRpcEndpoint(MethodTable methods) {
        HardenedSax.install();
        server.setHandlerMapping(methods);
        types = new AnswerTypes(server);
        server.setTypeFactory(types);
    }

    /**
     * An answer: the first {@code length} bytes of {@code buffer} (the buffer it was written in,
     * not copied, so a large answer is not copied once more on its way out).
     */
    public record Reply(byte[] buffer, int length) {
        public void writeTo(OutputStream out) throws IOException {
            out.write(buffer, 0, length);
        }

        public byte[] toByteArray() {
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    /** Handles one call; never throws: every failure is an XML-RPC fault answer. */
    public byte[] handle(byte[] body) {
        return reply(body, null).toByteArray();
    }

    /**
     * {@link #handle} without the final copy, for the servlet.
     *
     * @param charset the Content-Type's charset parameter, or null: used when the body itself
     *                names no encoding (no byte-order mark, no encoding in its XML declaration)
     */
    public Reply reply(byte[] body, String charset) {
        XmlRpcRequest request;
        try {
            request = parse(body, XmlEncoding.externalFor(body, charset));
        } catch (XmlRpcException e) {
            return faultReply(e.code, e.getMessage());
        }
        Object result;
        try {
            result = server.execute(request);
        } catch (XmlRpcNoSuchHandlerException e) {
            return faultReply(Faults.UNKNOWN_METHOD, e.getMessage());
        } catch (XmlRpcException e) {
            return faultReply(e.code == 0 ? Faults.INTERNAL : e.code, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("internal error in {}", request.getMethodName(), e);
            return faultReply(Faults.INTERNAL, "internal error in " + request.getMethodName());
        }
        try {
            return answer(request.getMethodName(), result);
        } catch (AnswerLimit.TooLarge e) {
            LOG.warn("answer of {} not sent: {}", request.getMethodName(), e.getMessage());
            return faultReply(Faults.INTERNAL, request.getMethodName() + ": " + e.getMessage()
                    + "; ask for less at once");
        } catch (SAXException | RuntimeException e) {
            LOG.error("cannot write the result of {}: {}", request.getMethodName(), e.getMessage());
            return faultReply(Faults.INTERNAL, "internal error: the result of " + request.getMethodName()
                    + " cannot be written");
        }
    }

    /** The answer carrying {@code result}, written by Apache XML-RPC's writer with our types. */
    byte[] answer(Object result) throws SAXException {
        return answer("", result).toByteArray();
    }

    /**
     * Written into a buffer first, so that a failure while writing can still answer a fault; the
     * buffer starts at the size of this method's last answer.
     */
    private Reply answer(String method, Object result) throws SAXException {
        Integer hint = sizeHints.get(method);
        AnswerSerializer out = new AnswerSerializer(hint == null ? 8192 : hint);
        new XmlRpcWriter(config, out, types).write(config, result);
        int size = out.size();
        // methods come from the method table only (an unknown name faults before this), so the
        // map stays small; it changes only when an answer outgrows the hint or shrinks well below it
        if (hint == null || size > hint || size < hint / 2) {
            sizeHints.put(method, Math.min(MAX_SIZE_HINT, size + size / 8 + 256));
        }
        return new Reply(out.buffer(), size);
    }

    private XmlRpcRequest parse(byte[] body, String encoding) throws XmlRpcException {
        XmlRpcRequestParser parser = new XmlRpcRequestParser(config, types);
        try {
            readers.parse(body, encoding, parser);
        } catch (SAXException e) {
            throw new XmlRpcException(Faults.PARSE_ERROR, "parse error: " + saxMessage(e));
        } catch (IOException e) {
            throw new XmlRpcException(Faults.PARSE_ERROR, "parse error: " + e.getMessage());
        } catch (RuntimeException e) {
            // Apache XML-RPC's parser throws unchecked ones for some namespace misuse: still bad input
            LOG.debug("request parse failed", e);
            throw new XmlRpcException(Faults.PARSE_ERROR, "parse error: malformed XML-RPC request");
        }
        String name = parser.getMethodName();
        if (name == null || name.isBlank()) {
            throw new XmlRpcException(Faults.PARSE_ERROR, "parse error: no methodName");
        }
        return new XmlRpcClientRequestImpl(config, name.trim(), parser.getParams());
    }

    /** The parser's message without exception class names or positions that mean nothing remotely. */
    private static String saxMessage(SAXException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = "malformed XML";
        }
        if (m.contains("DOCTYPE")) {
            return "DOCTYPE is not allowed";
        }
        // Apache XML-RPC's messages may name its namespace URI ("{http://ws.apache.org/...}i8")
        m = m.replaceAll("\\{[^{}]*\\}", "");
        if (e instanceof org.xml.sax.SAXParseException p && p.getLineNumber() > 0) {
            return m + " (line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ")";
        }
        return m;
    }

    /** A fault answer; the message is for humans and carries no Java internals. */
    private Reply faultReply(int code, String message) {
        try {
            AnswerSerializer out = new AnswerSerializer(512);
            new XmlRpcWriter(config, out, types).write(config, code, message == null ? "" : message);
            return new Reply(out.buffer(), out.size());
        } catch (SAXException e) {
            throw new IllegalStateException("cannot write a fault", e);
        }
    }
}
