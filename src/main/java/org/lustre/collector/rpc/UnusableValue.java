package org.lustre.collector.rpc;

import java.util.Set;

import org.apache.xmlrpc.parser.AtomicParser;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.parser.TypeParserImpl;
import org.xml.sax.Attributes;

/**
 * A request value the API can never take, kept as a value instead of failing the parse, so that
 * the caller hears which argument was wrong (-32602 from {@link Args}) rather than "parse error"
 * with Apache XML-RPC's wording (which names its Java methods and namespace). Made for: the
 * extension types other languages' clients send ({@code <i8>}, {@code <nil/>}, anything in
 * Apache's extensions namespace) and ints outside 32 bits or not a number. Immutable.
 *
 * @param shown what the fault message says the caller sent, e.g. "i8", "nil", "int out of range"
 */
record UnusableValue(String shown) {
    /** The XML-RPC types Apache XML-RPC parses with extensions off, but int and i4. */
    private static final Set<String> STANDARD = Set.of("boolean", "string", "double", "dateTime.iso8601", "base64",
            "struct", "array");

    /** Our parser for a value of this type, or null where Apache XML-RPC's standard one reads it. */
    static TypeParser parserFor(String uri, String localName) {
        boolean plain = uri == null || uri.isEmpty();
        if (plain && (localName.equals("int") || localName.equals("i4"))) {
            return intParser();
        }
        return plain && STANDARD.contains(localName) ? null : unusable(localName);
    }

    /** An int or i4: an Integer, or an UnusableValue when it is not a 32-bit decimal number. */
    private static TypeParser intParser() {
        return new AtomicParser() {
            @Override
            protected void setResult(String text) {
                String t = text.trim();
                try {
                    super.setResult(Integer.valueOf(t));
                } catch (NumberFormatException e) {
                    boolean digits = t.matches("[+-]?\\d+");
                    super.setResult(new UnusableValue(digits ? "int out of range (over 32 bits)" : "malformed int"));
                }
            }
        };
    }

    /** Reads an element of any content and yields an UnusableValue named after it. */
    private static TypeParser unusable(String localName) {
        UnusableValue value = new UnusableValue(localName.length() <= 40 ? localName : localName.substring(0, 40));
        return new TypeParserImpl() {
            @Override
            public void startDocument() {
                setResult(value);
            }

            @Override
            public void characters(char[] ch, int start, int length) {
                // content ignored: the value is refused whatever it holds
            }

            @Override
            public void startElement(String uri, String localName, String qName, Attributes atts) {
            }

            @Override
            public void endElement(String uri, String localName, String qName) {
            }
        };
    }
}
