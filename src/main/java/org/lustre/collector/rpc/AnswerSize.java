package org.lustre.collector.rpc;

import java.util.Map;

/**
 * An upper bound of the bytes a result takes once written as an XML-RPC answer (UTF-8, escaped),
 * so that a system.multicall stops before its answers pass {@link AnswerLimit#TRAP_BYTES}. A value
 * written already ({@link EncodedValue}) counts its exact length. Counts each
 * string's bytes as written at worst (an entity for every character the writer may escape) and a
 * markup cost per value that covers the longest one; it stops counting once past a limit, so a
 * huge result costs no more than the limit to measure. Stateless; any thread.
 */
final class AnswerSize {
    /** Markup around one value, at most {@code <value><boolean></boolean></value>}, or around a struct member. */
    static final int PER_VALUE = 48;

    private AnswerSize() {
    }

    /** The bound, or some number above {@code limit} once it is passed. */
    static long estimate(Object value, long limit) {
        long n = PER_VALUE;
        if (value instanceof String s) {
            n += textBytes(s);
        } else if (value instanceof EncodedValue e) {
            n = e.length();
        } else if (value instanceof Object[] a) {
            for (int i = 0; i < a.length && n <= limit; i++) {
                n += estimate(a[i], limit - n);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n > limit) {
                    break;
                }
                n += PER_VALUE + textBytes(String.valueOf(e.getKey())) + estimate(e.getValue(), limit - n);
            }
        }
        return n;
    }

    /** Bytes of {@code s} written as XML text in UTF-8, at worst: "&amp;quot;" is the longest entity. */
    static long textBytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += c < ' ' || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' ? 6 : 1;
            } else {
                n += c < 0x800 ? 2 : 3; // a surrogate pair is 4 bytes, counted 6
            }
        }
        return n;
    }
}
