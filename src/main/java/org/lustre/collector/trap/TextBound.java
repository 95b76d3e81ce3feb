package org.lustre.collector.trap;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The byte bounds on what a trap carries (why: {@link TrapEvent#MAX_MESSAGE_BYTES}). Stateless; any thread. */
final class TextBound {
    /** Room kept for the " [cut: N bytes]" suffix (N has at most 10 digits). */
    private static final int SUFFIX_ROOM = 32;

    private TextBound() {
    }

    /**
     * {@code s} when its UTF-8 form fits in {@code maxBytes}; else its longest prefix that fits
     * (whole characters) in {@code maxBytes - 32}, followed by " [cut: N bytes]", N being the UTF-8
     * bytes left out. The result never exceeds {@code maxBytes} bytes.
     */
    static String cut(String s, int maxBytes) {
        // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): most strings pass here.
        if (s.length() <= maxBytes / 3) {
            return s;
        }
        int total = 0;
        int keepChars = -1;
        int keptBytes = 0;
        int keepLimit = maxBytes - SUFFIX_ROOM;
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            int chars = 1;
            int bytes;
            if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes = 4;
                chars = 2;
            } else {
                bytes = 3; // a lone surrogate is written as '?' later: counting 3 only over-estimates
            }
            if (keepChars < 0 && total + bytes > keepLimit) {
                keepChars = i;
                keptBytes = total;
            }
            total += bytes;
            i += chars;
        }
        if (total <= maxBytes) {
            return s;
        }
        return s.substring(0, keepChars) + " [cut: " + (total - keptBytes) + " bytes]";
    }

    /**
     * An id bounded like a name, but kept unique and still derived from the id alone (so both
     * collectors of a pair agree): an over-long one becomes its first bytes, '~' and a name-based
     * UUID of the whole.
     */
    static String id(String id, int maxBytes) {
        String bounded = cut(id, maxBytes);
        if (bounded == id) {
            return id;
        }
        String head = cut(id, maxBytes - 40);
        int mark = head.lastIndexOf(" [cut: ");
        return head.substring(0, mark) + "~" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
}
