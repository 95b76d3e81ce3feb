package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** Reused SAX readers keep the hardening and start every parse afresh. */
class SaxReadersTest {
    private final SaxReaders readers = new SaxReaders();

    /** Collects element names and text. */
    private static final class Recorder extends DefaultHandler {
        final List<String> events = new ArrayList<>();

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            events.add("<" + localName);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            events.add(new String(ch, start, length));
        }
    }

    private List<String> parse(String xml) throws Exception {
        Recorder r = new Recorder();
        readers.parse(xml.getBytes(UTF_8), null, r);
        return r.events;
    }

    @Test
    void oneReaderServesSequentialParses() throws Exception {
        assertEquals(List.of("<a", "x"), parse("<a>x</a>"));
        assertEquals(List.of("<b", "y"), parse("<b>y</b>"));
        assertEquals(1, readers.idleCount(), "the reader was reused, not a new one each time");
    }

    @Test
    void doctypeIsRefusedByAReusedReaderAndAFailedParseLeavesNothingBehind() throws Exception {
        parse("<warm/>");
        for (int i = 0; i < 3; i++) {
            SAXException e = assertThrows(SAXException.class,
                    () -> parse("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x \"boom\">]><m>&x;</m>"));
            assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
            assertThrows(SAXException.class, () -> parse("<unclosed><still>"));
            // the next document starts clean: no element, entity or position left from the failure
            assertEquals(List.of("<ok", "fine"), parse("<ok>fine</ok>"));
        }
        assertEquals(1, readers.idleCount());
    }

    @Test
    void limitsDoNotAccumulateAcrossReuses() throws Exception {
        // the secure-processing limits count per document: a long-lived reader must not run
        // into them after many ordinary requests full of escaped characters
        String doc = "<m>" + "&amp;&lt;&#65;".repeat(10_000) + "</m>";
        for (int i = 0; i < 20; i++) {
            List<String> events = parse(doc);
            assertEquals(30_000, String.join("", events.subList(1, events.size())).length());
        }
        assertEquals(1, readers.idleCount());
    }

    @Test
    void reusedReaderNeverFetchesAnExternalDtd() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            fetched.incrementAndGet();
            byte[] dtd = "<!ENTITY x \"leak\">".getBytes(UTF_8);
            ex.sendResponseHeaders(200, dtd.length);
            ex.getResponseBody().write(dtd);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/evil.dtd";
            for (int i = 0; i < 2; i++) {
                parse("<warm/>");
                assertThrows(SAXException.class,
                        () -> parse("<?xml version=\"1.0\"?><!DOCTYPE m SYSTEM \"" + url + "\"><m>&x;</m>"));
                assertThrows(SAXException.class, () -> parse("<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY % p SYSTEM \""
                        + url + "\"> %p;]><m>&x;</m>"));
            }
            assertEquals(0, fetched.get(), "an external DTD was fetched");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void concurrentParsesEachGetTheirOwnReaderAndTheIdleOnesStayBounded() throws Exception {
        int threads = SaxReaders.MAX_IDLE + 4;
        List<Thread> all = new ArrayList<>();
        AtomicInteger bad = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            all.add(new Thread(() -> {
                for (int k = 0; k < 200; k++) {
                    try {
                        if (!parse("<" + name + ">" + k + "</" + name + ">").equals(List.of("<" + name, "" + k))) {
                            bad.incrementAndGet();
                        }
                    } catch (Exception e) {
                        bad.incrementAndGet();
                    }
                }
            }, "sax-" + t));
        }
        all.forEach(Thread::start);
        for (Thread t : all) {
            t.join(60_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        assertEquals(0, bad.get());
        assertTrue(readers.idleCount() <= SaxReaders.MAX_IDLE);
    }
}
