package org.lustre.collector.rpc;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Which encoding a request body is read in (RFC 7303 section 3.2 and XML 1.0 appendix F): a
 * byte-order mark, then the encoding of the XML declaration, decide; only when the body names none
 * does the Content-Type's charset count (Python's and Ruby's clients send
 * {@code text/xml; charset=ISO-8859-1} bodies without an encoding declaration). Stateless.
 */
final class XmlEncoding {
    /** {@code <?xml ... encoding="..."}, in the first bytes, read as ASCII. */
    private static final Pattern DECLARED = Pattern.compile("^\\s*<\\?xml[^>]*?\\bencoding\\s*=");

    private XmlEncoding() {
    }

    /** The encoding to impose on the parser, or null to let it detect the body's own. */
    static String externalFor(byte[] body, String charset) {
        if (charset == null || charset.isBlank()) {
            return null;
        }
        if (hasByteOrderMark(body) || declaresEncoding(body)) {
            return null;
        }
        try {
            Charset c = Charset.forName(charset.trim());
            // UTF-16/32 bodies without a BOM are not ASCII-compatible: the declaration check above
            // could not have seen them, and the parser detects those from the first bytes anyway
            return c.newEncoder().maxBytesPerChar() > 3.5f || c.name().startsWith("UTF-16") ? null : c.name();
        } catch (IllegalArgumentException e) {
            return null; // unknown charset: the XML default (UTF-8) is the best guess
        }
    }

    private static boolean hasByteOrderMark(byte[] b) {
        return b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE)
                || (b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF));
    }

    private static boolean declaresEncoding(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("?>");
        return DECLARED.matcher(end < 0 ? head : head.substring(0, end)).find();
    }
}
