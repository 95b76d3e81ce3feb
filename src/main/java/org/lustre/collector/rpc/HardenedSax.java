package org.lustre.collector.rpc;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.apache.xmlrpc.util.SAXParsers;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The SAX factory every XML-RPC message is parsed with, requests and answers alike (the
 * collector's and the monitor's). Apache XML-RPC 3.1.3 turns external entities off but still
 * loads external DTDs (a request could make the server fetch a URL): we refuse any DOCTYPE at
 * all, which also stops entity expansion bombs. It is the JDK's own parser, whatever else the
 * class path holds. Any thread.
 */
public final class HardenedSax {
    private static final SAXParserFactory FACTORY = create();

    /**
     * Fails on errors without printing them (the JDK default prints "[Fatal Error]" to stderr);
     * DefaultHandler already ignores warnings and throws fatal errors.
     */
    private static final ErrorHandler QUIET = new DefaultHandler() {
        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private HardenedSax() {
    }

    /** Installs the hardened factory into Apache XML-RPC (a process-wide setting); idempotent. */
    public static void install() {
        SAXParsers.setSAXParserFactory(FACTORY);
    }

    /**
     * Deepest element nesting read. Apache XML-RPC hands each level of a value to the next parser
     * down a chain of calls, so a body of 24,000 nested arrays (1 MB) overflowed a request
     * thread's stack; the JDK parser stops at this depth instead, with a parse error. The API's
     * deepest message (a multicall answer of trap records) is under 25 levels.
     */
    static final int MAX_DEPTH = 100;
    private static final String MAX_DEPTH_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";

    /** A new hardened reader whose errors are thrown, never printed; the caller words them. */
    public static XMLReader newReader() {
        try {
            synchronized (FACTORY) { // a factory is not documented as thread-safe
                SAXParser parser = FACTORY.newSAXParser();
                parser.setProperty(MAX_DEPTH_PROPERTY, Integer.toString(MAX_DEPTH));
                XMLReader reader = parser.getXMLReader();
                reader.setErrorHandler(QUIET);
                return reader;
            }
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot create a hardened XML parser: " + e.getMessage(), e);
        }
    }

    private static SAXParserFactory create() {
        SAXParserFactory f = SAXParserFactory.newDefaultInstance();
        f.setNamespaceAware(true); // Apache XML-RPC's parsers match on namespace URI + local name
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
