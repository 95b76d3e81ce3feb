package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lustre.collector.config.SyslogAddress;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/** RFC 5424 as log4j2 writes it for a trap, in datagrams sent over loopback UDP. */
class SyslogOutputTest {
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d+)>1 (\\S+) (\\S+) lustre-collector (\\S+) trap (\\[trap@32473 [^\\]]*\\]) (.*)", Pattern.DOTALL);

    private static Trap trap(Category c, String message) {
        return new Trap(7, "scan:fs0-OST0001:DISCONN:1796000000", 1_796_000_001, 1_796_000_000, c, "fs0",
                "fs0-OST0001", message, 3, "scan", List.of());
    }

    /** Hands {@code t} to the started output and returns the datagram it became. */
    private static String sent(SyslogOutput out, DatagramSocket receiver, Trap t) throws IOException {
        out.accept(t);
        byte[] buf = new byte[8192];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        receiver.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void severityFromTheCategoryAndTheTrapAsStructuredData() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(20_000);
            SyslogOutput out = new SyslogOutput(new SyslogAddress("udp", "127.0.0.1", receiver.getLocalPort()));
            try {
                out.start();
                String line = sent(out, receiver, trap(Category.CRITICAL, "fs0-OST0001 not \"responding\"]"));
                Matcher m = RFC5424.matcher(line);
                assertTrue(m.matches(), line);
                assertEquals(3 * 8 + 3, Integer.parseInt(m.group(1))); // daemon.err
                assertEquals("2026-11-30T00:53:20.000Z", m.group(2));
                String sd = m.group(5);
                for (String p : new String[] {"category=\"Critical\"", "fs=\"fs0\"", "node=\"fs0-OST0001\"",
                        "id=\"scan:fs0-OST0001:DISCONN:1796000000\"", "count=\"3\"", "source=\"scan\""}) {
                    assertTrue(sd.contains(p), sd);
                }
                assertEquals("fs0-OST0001 not \"responding\"]", m.group(6).strip());
                assertTrue(sent(out, receiver, trap(Category.INFO, "x")).startsWith("<30>1 "));
                assertTrue(sent(out, receiver, trap(Category.WARNING, "x")).startsWith("<28>1 "));
                String got = sent(out, receiver, trap(Category.FATAL, "LBUG"));
                assertTrue(got.startsWith("<25>1 ") && got.endsWith("LBUG"), got);
                assertTrue(RFC5424.matcher(got).matches(), got);
            } finally {
                out.close();
            }
            assertEquals(4, out.stats().get(0).sent());
        }
    }
}
