package org.lustre.collector.web;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.rpc.Answer;
import org.lustre.collector.rpc.Faults;

/**
 * Hostile peers against the embedded server on loopback, over raw sockets (a refused peer is a
 * client socket bound to 127.0.0.2; allow is 127.0.0.1/32 only): refusals before the body, error
 * pages without internals, the Host/Origin guard, encoded and non-UTF-8 bodies, 100-continue.
 * Socket reads have a timeout only so that a failure ends; no assertion is on time.
 */
class HardeningEndToEndTest {
    private static Path dir;
    private static EmbeddedServer server;
    private static int port;
    private static final int READ_TIMEOUT_MILLIS = 15_000;
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\bat [a-z]+\\.|java\\.|javax\\.|jakarta\\.|org\\.apache|Tomcat|coyote|catalina");

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("hardening-");
        server = EmbeddedServer.start(ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", dir.toString(), "kmsg", "none", "allow", "127.0.0.1/32",
                "accept-host", "127.0.0.1, collector.example")));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        org.lustre.collector.TempTree.delete(dir);
    }

    private static Socket connect(String from) throws IOException {
        Socket s = new Socket();
        if (from != null) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    /** Everything the server sends until it closes (a read timeout fails the test). */
    private static String exchange(String from, byte[] request) throws IOException {
        try (Socket s = connect(from)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new String(readAll(s.getInputStream()), ISO_8859_1);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static byte[] post(String headers, byte[] body) {
        byte[] head = ("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static String bodyOf(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    private static Answer rpc(String response) {
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        return Answer.parse(bodyOf(response).getBytes(ISO_8859_1));
    }

    private static String goodCall() throws IOException {
        return exchange(null, post("Content-Type: text/xml\r\n", Answer.call("getLastTimestamp").getBytes(UTF_8)));
    }

    @Test
    void refusedPeersAnnouncingBodiesTheyDoNotSendHoldNoRequestThread() throws Exception {
        List<Socket> refused = new ArrayList<>();
        try {
            // more of them than there are request threads
            for (int i = 0; i < EmbeddedServer.MAX_REQUEST_THREADS; i++) {
                Socket s = connect("127.0.0.2");
                refused.add(s);
                OutputStream out = s.getOutputStream();
                out.write(("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: text/xml\r\n"
                        + "Content-Length: 1000000\r\n\r\n<methodCall>").getBytes(ISO_8859_1));
                out.flush();
            }
            for (Socket s : refused) {
                // the 403 comes, then the server closes: it does not wait for the million bytes
                String answer = new String(readAll(s.getInputStream()), ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
                assertTrue(answer.contains("Connection: close"), answer);
            }
            // while they are all still open, allowed clients are answered
            for (int i = 0; i < EmbeddedServer.MAX_REQUEST_THREADS + 2; i++) {
                assertTrue(rpc(goodCall()).ok());
            }
        } finally {
            for (Socket s : refused) {
                s.close();
            }
        }
    }

    @Test
    void refusalsFromManyPeersAreLoggedOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        org.apache.logging.log4j.core.Logger log =
                (org.apache.logging.log4j.core.Logger) LogManager.getLogger(AccessFilter.class);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, null) {
            @Override
            public void append(LogEvent event) {
                synchronized (lines) {
                    lines.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        log.addAppender(capture);
        try {
            for (int i = 2; i < 42; i++) {
                String answer = exchange("127.0.0." + i, post("", Answer.call("getLastTimestamp").getBytes(UTF_8)));
                assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            }
        } finally {
            log.removeAppender(capture);
        }
        synchronized (lines) {
            assertTrue(lines.size() <= 1, "40 refusals from 40 peers, within one minute: " + lines);
        }
    }

    @Test
    void errorPagesNameNoJavaClassNoStackTraceNoServer() throws Exception {
        Map<String, byte[]> hostile = Map.of(
                "bad chunk header", ("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                        + "Content-Type: text/xml\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n").getBytes(ISO_8859_1),
                "bad method", "G@T /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1),
                "9 KB header", ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n")
                        .getBytes(ISO_8859_1),
                "AJP bytes", new byte[] {0x12, 0x34, 0x00, 0x0e, 0x02, 0x02, 0x00, 0x08, 'H', 'T', 'T', 'P', '/', '1',
                        '.', '1', 0, 0, 0, 0, 0, 0, 0, 0},
                "bad request target", "GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(ISO_8859_1));
        for (String from : new String[] {null, "127.0.0.2"}) {
            for (Map.Entry<String, byte[]> e : hostile.entrySet()) {
                String answer = exchange(from, e.getValue());
                String what = e.getKey() + " from " + (from == null ? "an allowed peer" : "a refused peer") + ": ";
                assertTrue(answer.startsWith("HTTP/1.1 4"), what + answer);
                assertFalse(INTERNALS.matcher(answer).find(), what + answer);
            }
        }
    }

    @Test
    void hostAndOriginMustBeAcceptedNames() throws Exception {
        byte[] body = Answer.call("getLastTimestamp").getBytes(UTF_8);
        java.util.function.Function<String, String> with = headers -> {
            try {
                byte[] head = ("POST /RPC2 HTTP/1.1\r\n" + headers + "Connection: close\r\nContent-Type: text/xml\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1);
                byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                return exchange(null, all);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
        assertTrue(with.apply("Host: collector.example:8980\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(with.apply("Host: COLLECTOR.example\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(with.apply("Host: 127.0.0.1\r\nOrigin: http://127.0.0.1:" + port + "\r\n").startsWith("HTTP/1.1 200"));
        assertTrue(with.apply("Host: 127.0.0.1\r\nOrigin: https://collector.example\r\n").startsWith("HTTP/1.1 200"));
        // a rebinding attacker's name, with or without a port; an IPv6 literal not listed
        assertTrue(with.apply("Host: attacker.example\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(with.apply("Host: attacker.example:8980\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(with.apply("Host: [::1]:8980\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(with.apply("Host: collector.example.attacker.example\r\n").startsWith("HTTP/1.1 403"));
        // a page of another origin, even with an accepted Host
        assertTrue(with.apply("Host: 127.0.0.1\r\nOrigin: http://attacker.example\r\n").startsWith("HTTP/1.1 403"));
        assertTrue(with.apply("Host: 127.0.0.1\r\nOrigin: null\r\n").startsWith("HTTP/1.1 403"));
    }

    @Test
    void gzipAndDeflateBodiesAreDecodedOtherCodingsAre415() throws Exception {
        byte[] call = Answer.call("getLastTimestamp").getBytes(UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(call);
        }
        assertTrue(rpc(exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: gzip\r\n", gz.toByteArray())))
                .ok());
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
            out.write(call);
        }
        assertTrue(rpc(exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: deflate\r\n",
                zlib.toByteArray()))).ok());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(raw, new java.util.zip.Deflater(6, true))) {
            out.write(call);
        }
        assertTrue(rpc(exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: deflate\r\n",
                raw.toByteArray()))).ok(), "raw deflate, as some clients send it");

        String br = exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: br\r\n", call));
        assertTrue(br.startsWith("HTTP/1.1 415"), br);
        assertTrue(br.contains("Accept-Encoding: gzip, deflate"), br);

        // 64 MiB of spaces in 64 KiB of gzip: refused once the decoded body passes 1 MiB
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 64; i++) {
                out.write(spaces);
            }
        }
        String answer = exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: gzip\r\n", bomb.toByteArray()));
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        String broken = exchange(null, post("Content-Type: text/xml\r\nContent-Encoding: gzip\r\n", call));
        assertTrue(broken.startsWith("HTTP/1.1 400"), broken);
    }

    @Test
    void theCharsetOfTheContentTypeIsHonouredWhenTheXmlNamesNone() throws Exception {
        byte[] latin1 = Answer.call("getNodeInfo", "<string>caf\u00e9-OST0000</string>").getBytes(ISO_8859_1);
        Answer a = rpc(exchange(null, post("Content-Type: text/xml; charset=ISO-8859-1\r\n", latin1)));
        assertEquals(Faults.NOT_READY == a.faultCode() ? Faults.NOT_READY : Faults.UNKNOWN_NODE, a.faultCode(),
                a.faultString());
        if (a.faultCode() == Faults.UNKNOWN_NODE) {
            assertTrue(a.faultString().contains("caf\u00e9-OST0000"), a.faultString());
        }
        Answer echoed = rpc(exchange(null, post("Content-Type: text/xml; charset=\"iso-8859-1\"\r\n",
                Answer.call("getTraps", "<string>\u00e9t\u00e9</string>").getBytes(ISO_8859_1))));
        assertEquals(Faults.BAD_ARGUMENTS, echoed.faultCode(), "parsed, then refused as a string: " + echoed.faultString());
    }

    @Test
    void expectContinueWithABodyOverTheLimitIs413AtOnce() throws Exception {
        try (Socket s = connect(null)) {
            s.getOutputStream().write(("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: text/xml\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + (2 << 20) + "\r\n\r\n").getBytes(ISO_8859_1));
            s.getOutputStream().flush();
            String answer = new String(readAll(s.getInputStream()), ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 413"), "no 100 first: " + answer);
        }
        // and a refused peer gets its 403 without a 100 either
        try (Socket s = connect("127.0.0.2")) {
            s.getOutputStream().write(("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: text/xml\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 100\r\n\r\n").getBytes(ISO_8859_1));
            s.getOutputStream().flush();
            String answer = new String(readAll(s.getInputStream()), ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        }
    }
}
