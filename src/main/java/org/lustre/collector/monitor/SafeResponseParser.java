package org.lustre.collector.monitor;

import java.util.HashMap;
import java.util.Map;

import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Apache XML-RPC's response parser minus its one dangerous habit: upstream feeds a fault's
 * {@code faultCause} (base64) to an {@code ObjectInputStream} even with extensions off
 * (CVE-2019-17570), so a hostile server could make the client instantiate any class on its class
 * path. Here a fault is reduced to its code and message before the superclass sees it, so nothing
 * is ever deserialized. A fault whose code is not a number is refused as not XML-RPC.
 * One instance per response; the parsing thread only.
 */
final class SafeResponseParser extends XmlRpcResponseParser {

    SafeResponseParser(XmlRpcStreamRequestConfig config, TypeFactory typeFactory) {
        super(config, typeFactory);
    }

    @Override
    protected void addResult(Object result) throws SAXException {
        if (isSuccess()) {
            super.addResult(result);
            return;
        }
        if (!(result instanceof Map<?, ?> fault)) {
            throw new SAXParseException("fault is not a struct", getDocumentLocator());
        }
        if (!(fault.get("faultCode") instanceof Number code)) {
            throw new SAXParseException("fault without a numeric faultCode", getDocumentLocator());
        }
        Object message = fault.get("faultString");
        Map<String, Object> clean = new HashMap<>(4);
        clean.put("faultCode", code.intValue());
        clean.put("faultString", message == null ? "" : String.valueOf(message));
        // faultCause is left out on purpose: see the class comment.
        super.addResult(clean);
    }
}
