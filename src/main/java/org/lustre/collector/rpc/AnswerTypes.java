package org.lustre.collector.rpc;

import java.util.function.Supplier;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Apache XML-RPC's type system plus one type, {@link EncodedValue}: its bytes are copied into an
 * {@link AnswerSerializer} as they are (any other writer gets the plain value, written the usual
 * way). Every other type is Apache's, unchanged.
 * <p>
 * Reading requests, ints are range-checked and types the API never takes are read as
 * {@link UnusableValue}s, so that they answer -32602 naming the argument instead of a parse error.
 * Thread-safe, like its superclass.
 */
final class AnswerTypes extends TypeFactoryImpl {
    /** The settings every answer is written with: UTF-8, no extensions, no exceptions. */
    static XmlRpcHttpRequestConfigImpl answerConfig() {
        XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();
        config.setEnabledForExtensions(false);
        config.setEnabledForExceptions(false);
        config.setEncoding("UTF-8");
        return config;
    }

    private static final XmlRpcHttpRequestConfigImpl ENCODE_CONFIG = answerConfig();
    /** Encodes cached values; has no controller since plain values never need one. */
    private static final AnswerTypes ENCODER = new AnswerTypes(null);

    private final TypeSerializer encodedSerializer = new TypeSerializer() {
        @Override
        public void write(ContentHandler handler, Object value) throws SAXException {
            EncodedValue v = (EncodedValue) value;
            if (handler instanceof AnswerSerializer a) {
                a.raw(v.xml());
            } else {
                Object plain = v.plain();
                getSerializer(ENCODE_CONFIG, plain).write(handler, plain);
            }
        }
    };

    AnswerTypes(XmlRpcController controller) {
        super(controller);
    }

    @Override
    public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object value) throws SAXException {
        if (value instanceof EncodedValue) {
            return encodedSerializer;
        }
        return super.getSerializer(config, value);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri,
                                String localName) {
        TypeParser ours = UnusableValue.parserFor(uri, localName);
        return ours != null ? ours : super.getParser(config, context, uri, localName);
    }

    /**
     * The value {@code plain} makes (of a type Apache XML-RPC writes with extensions off) written
     * once, as it would be written inside an answer.
     */
    static EncodedValue encode(Supplier<Object> plain) throws SAXException {
        AnswerSerializer out = new AnswerSerializer(256);
        Object value = plain.get();
        ENCODER.getSerializer(ENCODE_CONFIG, value).write(out, value);
        return new EncodedValue(out.toByteArray(), plain);
    }

    /** {@code v} as an int, the widest integer Apache XML-RPC writes with extensions off: saturated. */
    static int clampInt(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(Integer.MIN_VALUE, v);
    }
}
