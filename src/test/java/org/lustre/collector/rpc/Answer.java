package org.lustre.collector.rpc;

import java.io.ByteArrayInputStream;

import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/** An XML-RPC answer parsed by Apache XML-RPC's own response parser, for assertions. */
public record Answer(boolean ok, Object value, int faultCode, String faultString) {

    public static Answer parse(byte[] body) {
        try {
            XmlRpcHttpRequestConfigImpl config = new XmlRpcHttpRequestConfigImpl();
            XmlRpcResponseParser p = new XmlRpcResponseParser(config, new TypeFactoryImpl(new XmlRpcServer()));
            XMLReader r = HardenedSax.newReader();
            r.setContentHandler(p);
            r.parse(new InputSource(new ByteArrayInputStream(body)));
            if (p.isSuccess()) {
                return new Answer(true, p.getResult(), 0, null);
            }
            return new Answer(false, null, p.getErrorCode(), p.getErrorMessage());
        } catch (Exception e) {
            throw new AssertionError("not an XML-RPC answer: " + new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    e);
        }
    }

    public static String call(String method, String... paramXml) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>").append(method)
                .append("</methodName><params>");
        for (String p : paramXml) {
            b.append("<param><value>").append(p).append("</value></param>");
        }
        return b.append("</params></methodCall>").toString();
    }
}
