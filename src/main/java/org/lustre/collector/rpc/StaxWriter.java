package org.lustre.collector.rpc;

import java.io.OutputStream;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * Writes the SAX events of Apache XML-RPC's {@code XmlRpcWriter} with the JDK's StAX writer, in
 * UTF-8. Not ws-commons' XMLWriterImpl, which Apache XML-RPC's own server uses: that one writes
 * each half of a surrogate pair as a character reference ({@code &#55357;&#56510;}), which no XML
 * parser accepts, so one emoji in a trap would make the whole answer unreadable. Two things StAX
 * leaves to its caller are done here: a carriage return is written as {@code &#13;} (a parser
 * would read a raw one as a line feed), and a lone surrogate as '?'. One instance per answer.
 */
final class StaxWriter implements ContentHandler {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final XMLStreamWriter out;
    /** A start tag not yet written, so that an element with no content becomes {@code <data/>}. */
    private String pending;

    StaxWriter(OutputStream stream) {
        try {
            out = FACTORY.createXMLStreamWriter(stream, "UTF-8");
        } catch (XMLStreamException e) {
            throw new IllegalStateException("no StAX writer for UTF-8", e); // every JVM has one
        }
    }

    @Override
    public void startDocument() throws SAXException {
        run(() -> out.writeStartDocument("UTF-8", "1.0"));
    }

    @Override
    public void endDocument() throws SAXException {
        run(() -> {
            out.writeEndDocument();
            out.close();
        });
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        flushPending(false);
        pending = qName == null || qName.isEmpty() ? localName : qName;
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        if (pending != null) {
            flushPending(true);
        } else {
            run(out::writeEndElement);
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (length == 0) {
            return;
        }
        flushPending(false);
        run(() -> {
            int from = start;
            int end = start + length;
            for (int i = start; i < end; i++) {
                char c = ch[i];
                boolean lone = Character.isHighSurrogate(c) ? i + 1 == end || !Character.isLowSurrogate(ch[i + 1])
                        : Character.isLowSurrogate(c) && (i == start || !Character.isHighSurrogate(ch[i - 1]));
                if (c == '\r' || lone) {
                    out.writeCharacters(ch, from, i - from);
                    if (c == '\r') {
                        out.writeEntityRef("#13");
                    } else {
                        out.writeCharacters("?");
                    }
                    from = i + 1;
                }
            }
            out.writeCharacters(ch, from, end - from);
        });
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        characters(ch, start, length);
    }

    private void flushPending(boolean empty) throws SAXException {
        if (pending != null) {
            String name = pending;
            pending = null;
            run(() -> {
                if (empty) {
                    out.writeEmptyElement(name);
                } else {
                    out.writeStartElement(name);
                }
            });
        }
    }

    private interface Step {
        void run() throws XMLStreamException;
    }

    private static void run(Step step) throws SAXException {
        try {
            step.run();
        } catch (XMLStreamException e) {
            throw new SAXException(e.getMessage(), e);
        }
    }

    @Override
    public void setDocumentLocator(Locator locator) {
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) {
    }

    @Override
    public void endPrefixMapping(String prefix) {
    }

    @Override
    public void processingInstruction(String target, String data) {
    }

    @Override
    public void skippedEntity(String name) {
    }
}
