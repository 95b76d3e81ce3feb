package org.lustre.collector.rpc;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.apache.xmlrpc.util.SAXParsers;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;

/**
 * The SAX factory every XML-RPC message is parsed with, requests and responses alike. Apache
 * XML-RPC 3.1.3 turns external entities off but still loads external DTDs (a request could make
 * the server fetch a URL): we refuse any DOCTYPE at all, which also stops entity expansion bombs.
 */
public final class HardenedSax {
    private static final SAXParserFactory FACTORY = create();

    private HardenedSax() {
    }

    /** Installs the hardened factory into Apache XML-RPC (a process-wide setting); idempotent. */
    public static void install() {
        SAXParsers.setSAXParserFactory(FACTORY);
    }

    public static SAXParserFactory factory() {
        return FACTORY;
    }

    private static SAXParserFactory create() {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        try {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException | SAXNotRecognizedException | SAXNotSupportedException e) {
            // A parser that cannot refuse DOCTYPE must not be used to read untrusted input.
            throw new IllegalStateException("the JDK's SAX parser cannot be hardened: " + e.getMessage(), e);
        }
        return f;
    }
}
