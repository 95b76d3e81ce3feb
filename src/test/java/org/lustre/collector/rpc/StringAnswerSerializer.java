package org.lustre.collector.rpc;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;

/**
 * TEST REFERENCE: the answer writer as it was before answers were written as bytes and trap
 * fragments were cached (StringBuilder, then String.getBytes(UTF_8)), kept unchanged so the new
 * path can be compared with it byte for byte.
 * <p>
 * Turns the SAX events of Apache XML-RPC's {@code XmlRpcWriter} into XML text in a
 * StringBuilder. It replaces ws-commons' XMLWriterImpl for answers only because that one writes
 * and checks every character on its own (measured: 60% of the server's CPU for a 250-trap
 * getTraps answer); this one copies runs of plain text at once and escapes only &amp;, &lt;,
 * &gt;, carriage return and, in attributes, the quote. Empty elements are written as
 * {@code <data/>}, as XMLWriterImpl does. One instance per answer, one thread.
 */
final class StringAnswerSerializer implements ContentHandler {
    private final StringBuilder out;
    /** A start tag whose '&gt;' is not written yet, so an empty element can still become "/&gt;". */
    private boolean tagOpen;

    StringAnswerSerializer(StringBuilder out) {
        this.out = out;
    }

    @Override
    public void startDocument() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }

    @Override
    public void endDocument() {
        closeTag();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        closeTag();
        out.append('<').append(qName == null || qName.isEmpty() ? localName : qName);
        for (int i = 0; atts != null && i < atts.getLength(); i++) {
            out.append(' ').append(atts.getQName(i)).append("=\"");
            String v = atts.getValue(i);
            escape(v.toCharArray(), 0, v.length(), true);
            out.append('"');
        }
        tagOpen = true;
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if (tagOpen) {
            out.append("/>");
            tagOpen = false;
        } else {
            out.append("</").append(qName == null || qName.isEmpty() ? localName : qName).append('>');
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (length == 0) {
            return;
        }
        closeTag();
        escape(ch, start, length, false);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    private void closeTag() {
        if (tagOpen) {
            out.append('>');
            tagOpen = false;
        }
    }

    private void escape(char[] ch, int start, int length, boolean attribute) {
        int end = start + length;
        int run = start;
        for (int i = start; i < end; i++) {
            String entity = switch (ch[i]) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '\r' -> "&#13;";
                case '"' -> attribute ? "&quot;" : null;
                default -> null;
            };
            if (entity != null) {
                out.append(ch, run, i - run).append(entity);
                run = i + 1;
            }
        }
        out.append(ch, run, end - run);
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
