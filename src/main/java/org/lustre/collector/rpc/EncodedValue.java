package org.lustre.collector.rpc;

import java.util.function.Supplier;

/**
 * One XML-RPC value already written: the UTF-8 bytes of a whole {@code <value>...</value>}
 * element, as {@link AnswerSerializer} wrote it for {@link #plain()}. A result may hold these
 * anywhere Apache XML-RPC takes a value (an array element, a struct member); {@link AnswerTypes}
 * copies the bytes into an answer instead of writing the value again. Immutable, so a cache may
 * hand one instance to any number of threads.
 *
 * @param xml     the value's bytes; not copied, never changed afterwards
 * @param rebuild the value again, for a writer that is not an {@link AnswerSerializer}
 */
record EncodedValue(byte[] xml, Supplier<Object> rebuild) {
    int length() {
        return xml.length;
    }

    Object plain() {
        return rebuild.get();
    }
}
