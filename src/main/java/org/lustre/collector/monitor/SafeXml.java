package org.lustre.collector.monitor;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * SAX readers for collector answers that refuse any DOCTYPE, so neither external DTDs (an SSRF
 * with the released xmlrpc jar) nor entity expansion reach the network or the memory. Any thread.
 */
final class SafeXml {
    static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";

    // The JDK's own parser, whatever else the class path holds; guarded because a factory is not
    // documented as thread-safe.
    private static final SAXParserFactory FACTORY = newFactory();

    /** Fails on errors without printing them; the caller reports them in its own words. */
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // not worth a line: the answer either parses or fails
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SafeXml() {
    }

    static XMLReader newReader() {
        try {
            synchronized (FACTORY) {
                XMLReader reader = FACTORY.newSAXParser().getXMLReader();
                reader.setErrorHandler(QUIET); // the JDK default prints "[Fatal Error]" to stderr
                return reader;
            }
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot create a hardened XML parser: " + e.getMessage(), e);
        }
    }

    private static SAXParserFactory newFactory() {
        SAXParserFactory f = SAXParserFactory.newDefaultInstance();
        f.setNamespaceAware(true); // XmlRpcResponseParser matches on namespace URI + local name
        f.setValidating(false);
        f.setXIncludeAware(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature(DISALLOW_DOCTYPE, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a hardening feature: " + e.getMessage(), e);
        }
        return f;
    }
}
