package org.lustre.collector.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the SAX events of Apache XML-RPC's {@code XmlRpcWriter} into UTF-8 XML bytes (why not a
 * library writer: see {@link XmlRpcEndpoint}). It escapes only &amp;, &lt;, &gt;, carriage return
 * and, in attributes, the quote, and encodes UTF-8 as it goes, so an answer is never a
 * StringBuilder, then a String, then bytes. Empty elements are
 * written as {@code <data/>}, as XMLWriterImpl does.
 * <p>
 * {@link #raw} copies an {@link EncodedValue}'s bytes, written earlier by an instance of this
 * class, so they are exactly what these events would have given. The encoding matches
 * {@code String.getBytes(UTF_8)} of the same text: a surrogate pair is one 4-byte sequence, a
 * lone surrogate is '?' (Apache's serializers hand over each string whole, so a pair is never
 * split between two {@link #characters} calls). One instance per answer, one thread.
 */
final class AnswerSerializer extends DefaultHandler {
    private static final byte[] DECLARATION = ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    private static final byte[] AMP = ascii("&amp;");
    private static final byte[] LT = ascii("&lt;");
    private static final byte[] GT = ascii("&gt;");
    private static final byte[] CR = ascii("&#13;");
    private static final byte[] QUOT = ascii("&quot;");

    private byte[] buf;
    private int size;
    /** A start tag whose '&gt;' is not written yet, so an empty element can still become "/&gt;". */
    private boolean tagOpen;

    /** An answer of at most {@link AnswerLimit#HARD_BYTES}; past it a write throws {@link AnswerLimit.TooLarge}. */
    AnswerSerializer(int initialCapacity) {
        buf = new byte[Math.max(64, Math.min(initialCapacity, AnswerLimit.HARD_BYTES))];
    }

    /** The buffer written so far; its first {@link #size()} bytes are the answer. */
    byte[] buffer() {
        return buf;
    }

    int size() {
        return size;
    }

    /** The answer so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Appends bytes that are one complete element written by this class, e.g. one {@code <value>}. */
    void raw(byte[] xml) {
        closeTag();
        ensure(xml.length);
        System.arraycopy(xml, 0, buf, size, xml.length);
        size += xml.length;
    }

    @Override
    public void startDocument() {
        raw(DECLARATION);
    }

    @Override
    public void endDocument() {
        closeTag();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        closeTag();
        put('<');
        name(qName == null || qName.isEmpty() ? localName : qName);
        for (int i = 0; atts != null && i < atts.getLength(); i++) {
            put(' ');
            name(atts.getQName(i));
            put('=');
            put('"');
            String v = atts.getValue(i);
            text(v.toCharArray(), 0, v.length(), true);
            put('"');
        }
        tagOpen = true;
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if (tagOpen) {
            put('/');
            put('>');
            tagOpen = false;
        } else {
            put('<');
            put('/');
            name(qName == null || qName.isEmpty() ? localName : qName);
            put('>');
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (length == 0) {
            return;
        }
        closeTag();
        text(ch, start, length, false);
    }

    private void closeTag() {
        if (tagOpen) {
            put('>');
            tagOpen = false;
        }
    }

    /** An element or attribute name (XmlRpcWriter's are plain ASCII, so nothing is escaped). */
    private void name(String s) {
        text(s.toCharArray(), 0, s.length(), false);
    }

    private void text(char[] ch, int start, int length, boolean attribute) {
        // 3 bytes per char covers every encoding (a surrogate pair is 2 chars, 4 bytes);
        // entities ensure their own room
        ensure(3 * length);
        encode(ch, start, length, attribute);
    }

    private void encode(char[] ch, int start, int length, boolean attribute) {
        byte[] b = buf;
        int n = size;
        int end = start + length;
        for (int i = start; i < end; i++) {
            char c = ch[i];
            if (c < 0x80) {
                byte[] entity = switch (c) {
                    case '&' -> AMP;
                    case '<' -> LT;
                    case '>' -> GT;
                    case '\r' -> CR;
                    case '"' -> attribute ? QUOT : null;
                    default -> null;
                };
                if (entity == null) {
                    b[n++] = (byte) c;
                } else {
                    size = n;
                    ensure(entity.length + 3 * (end - i));
                    b = buf;
                    System.arraycopy(entity, 0, b, n, entity.length);
                    n += entity.length;
                }
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | (c >> 6));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(ch[i + 1])) {
                    int cp = Character.toCodePoint(c, ch[++i]);
                    b[n++] = (byte) (0xF0 | (cp >> 18));
                    b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    b[n++] = '?';
                }
            } else {
                b[n++] = (byte) (0xE0 | (c >> 12));
                b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = n;
    }

    private void put(char asciiChar) {
        ensure(1);
        buf[size++] = (byte) asciiChar;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long need = (long) size + more;
            if (need > AnswerLimit.HARD_BYTES) {
                throw new AnswerLimit.TooLarge(AnswerLimit.HARD_BYTES);
            }
            buf = Arrays.copyOf(buf, (int) Math.min(AnswerLimit.HARD_BYTES, Math.max(2L * buf.length, need)));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
