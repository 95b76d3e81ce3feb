package org.lustre.collector.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;

import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Hardened SAX readers ({@link HardenedSax}) kept for reuse: creating one costs more than
 * parsing a small request. A reader keeps the factory's features for its whole life, DOCTYPE
 * refused and no external entities, and resets its state at the start of every parse, including
 * after one that failed. At most {@link #MAX_IDLE} idle readers are kept; a thread finding none
 * creates one.
 * <p>
 * Threads: any number at once; each parse has a reader to itself.
 */
final class SaxReaders {
    static final int MAX_IDLE = 16;
    private static final ContentHandler NO_HANDLER = new DefaultHandler();

    private final ArrayBlockingQueue<XMLReader> idle = new ArrayBlockingQueue<>(MAX_IDLE);

    /**
     * Parses {@code body}, read in {@code encoding} (null: as the XML says), into {@code handler};
     * errors and fatal errors are thrown, never printed.
     */
    void parse(byte[] body, String encoding, ContentHandler handler) throws SAXException, IOException {
        XMLReader reader = idle.poll();
        if (reader == null) {
            reader = HardenedSax.newReader();
        }
        boolean reusable = false;
        try {
            reader.setContentHandler(handler);
            InputSource source = new InputSource(new ByteArrayInputStream(body));
            if (encoding != null) {
                source.setEncoding(encoding);
            }
            reader.parse(source);
            reusable = true;
        } catch (SAXException | IOException e) {
            reusable = true; // bad input: the reader itself is fine, the next parse starts afresh
            throw e;
        } finally {
            if (reusable) {
                // do not keep this request's handler (and its values) alive while idle
                reader.setContentHandler(NO_HANDLER);
                idle.offer(reader);
            }
        }
    }

    /** How many readers wait for reuse (for tests). */
    int idleCount() {
        return idle.size();
    }
}
