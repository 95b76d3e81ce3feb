package org.lustre.collector.rpc;

import java.util.Map;

/**
 * A rough size in bytes of a result once written as XML-RPC, to bound what one request may make
 * the collector build ({@link Multicall}). Counts the text and a fixed markup cost per value; it
 * stops counting once past a limit, so a huge result costs no more than the limit to measure.
 * Stateless; any thread.
 */
final class AnswerSize {
    /** Markup around one value, such as {@code <value><i4></i4></value>}. */
    private static final int PER_VALUE = 32;

    private AnswerSize() {
    }

    /** The estimate, or some number above {@code limit} once it is passed. */
    static long estimate(Object value, long limit) {
        long n = PER_VALUE;
        if (value instanceof String s) {
            n += s.length();
        } else if (value instanceof EncodedValue e) {
            n = e.xml().length;
        } else if (value instanceof Object[] a) {
            for (int i = 0; i < a.length && n <= limit; i++) {
                n += estimate(a[i], limit - n);
            }
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n > limit) {
                    break;
                }
                n += PER_VALUE + String.valueOf(e.getKey()).length() + estimate(e.getValue(), limit - n);
            }
        }
        return n;
    }
}
