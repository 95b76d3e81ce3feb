package org.lustre.collector.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.rpc.HardenedSax;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

class SafeResponseParserTest {

    /** Counts its own deserializations: any count above zero means the client ran foreign code. */
    static final class Canary extends Exception {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger DESERIALIZED = new AtomicInteger();

        Canary() {
            super("canary");
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            DESERIALIZED.incrementAndGet();
        }
    }

    static byte[] serializedCanary() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(new Canary());
        }
        return b.toByteArray();
    }

    static String faultWithCause() throws IOException {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("faultCode", 7);
        fault.put("faultString", "boom");
        fault.put("faultCause", serializedCanary());
        return "<?xml version=\"1.0\"?><methodResponse><fault>" + StubCollector.value(fault) + "</fault></methodResponse>";
    }

    private final XmlRpcClient client = new XmlRpcClient();
    private final XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();

    @BeforeEach
    void reset() {
        Canary.DESERIALIZED.set(0);
        config.setEnabledForExtensions(false);
    }

    private void parse(XmlRpcResponseParser parser, String xml) throws IOException, SAXException {
        XMLReader reader = HardenedSax.newReader();
        reader.setContentHandler(parser);
        reader.parse(new InputSource(new StringReader(xml)));
    }

    @Test
    void upstreamParserDeserializesTheFaultCause() throws Exception {
        // The control: proves the hostile answer really is dangerous with the stock parser.
        XmlRpcResponseParser upstream = new XmlRpcResponseParser(config, client.getTypeFactory());
        parse(upstream, faultWithCause());
        assertEquals(1, Canary.DESERIALIZED.get());
        assertTrue(upstream.getErrorCause() instanceof Canary);
    }

    @Test
    void safeParserKeepsCodeAndMessageAndNeverDeserializes() throws Exception {
        SafeResponseParser safe = new SafeResponseParser(config, client.getTypeFactory());
        parse(safe, faultWithCause());
        assertEquals(0, Canary.DESERIALIZED.get());
        assertFalse(safe.isSuccess());
        assertEquals(7, safe.getErrorCode());
        assertEquals("boom", safe.getErrorMessage());
        assertNull(safe.getErrorCause());
    }

    @Test
    void faultWithoutNumericCodeIsRefused() {
        String xml = "<?xml version=\"1.0\"?><methodResponse><fault>"
                + StubCollector.value(Map.of("faultCode", "seven", "faultString", "x")) + "</fault></methodResponse>";
        SafeResponseParser safe = new SafeResponseParser(config, client.getTypeFactory());
        assertThrows(SAXException.class, () -> parse(safe, xml));
    }

    @Test
    void successIsUntouched() throws Exception {
        SafeResponseParser safe = new SafeResponseParser(config, client.getTypeFactory());
        parse(safe, StubCollector.response(Map.of("cursor", 3)));
        assertTrue(safe.isSuccess());
        assertEquals(Map.of("cursor", 3), safe.getResult());
    }

    @Test
    void doctypeIsRefusedByTheReader() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE methodResponse [<!ENTITY x \"y\">]>"
                + "<methodResponse><params><param><value>&x;</value></param></params></methodResponse>";
        SafeResponseParser safe = new SafeResponseParser(config, client.getTypeFactory());
        SAXException e = assertThrows(SAXException.class, () -> parse(safe, xml));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }

    @Test
    void extensionTypesAreRefusedWithExtensionsOff() {
        String xml = "<?xml version=\"1.0\"?><methodResponse xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">"
                + "<params><param><value><ex:serializable>AAAA</ex:serializable></value></param></params></methodResponse>";
        SafeResponseParser safe = new SafeResponseParser(config, client.getTypeFactory());
        assertThrows(SAXException.class, () -> parse(safe, xml));
    }
}
