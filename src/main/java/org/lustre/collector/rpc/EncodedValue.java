package org.lustre.collector.rpc;

import java.util.function.Supplier;

/**
 * One XML-RPC value already written: the UTF-8 bytes of a whole {@code <value>...</value>}
 * element, as {@link AnswerSerializer} wrote it for {@link #plain()}. A result may hold these
 * anywhere Apache XML-RPC takes a value (an array element, a struct member); {@link AnswerTypes}
 * copies the bytes into an answer instead of writing the value again. Immutable, so a cache may
 * hand one instance to any number of threads.
 */
final class EncodedValue {
    private final byte[] xml;
    private final Supplier<Object> plain;

    /**
     * @param xml   the value's bytes; not copied, never changed afterwards
     * @param plain rebuilds the value for a writer that is not an {@link AnswerSerializer}
     */
    EncodedValue(byte[] xml, Supplier<Object> plain) {
        this.xml = xml;
        this.plain = plain;
    }

    /** The value's bytes: the caller must not change them. */
    byte[] xml() {
        return xml;
    }

    int length() {
        return xml.length;
    }

    Object plain() {
        return plain.get();
    }
}
