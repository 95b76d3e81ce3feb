package org.lustre.collector.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.lustre.collector.monitor.CollectorException.Kind;

class MonitorCommandTest {
    /** 2025-01-01T00:00:00Z. */
    private static final long NOW = 1_735_689_600_000L;
    private static final long T = NOW / 1000;

    private final List<StubCollector> stubs = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(NOW);
    private final Map<String, String> environment = new HashMap<>();

    @TempDir
    Path tmp;

    @AfterEach
    void stopStubs() {
        for (StubCollector s : stubs) {
            s.stop();
        }
    }

    private StubCollector stub() throws IOException {
        StubCollector s = StubCollector.start();
        stubs.add(s);
        return s;
    }

    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    /** Runs the command; between polls the clock advances and the next script step runs; then it stops. */
    private Result run(List<Runnable> script, boolean console, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] step = {0};
        Env env = new Env(clock::get, ZoneOffset.UTC, environment::get, console, millis -> {
            clock.addAndGet(millis);
            if (step[0] >= script.size()) {
                return false;
            }
            script.get(step[0]++).run();
            return true;
        });
        int code = MonitorCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result run(String... args) {
        return run(List.of(), false, args);
    }

    private static long count(List<String> lines, String needle) {
        return lines.stream().filter(l -> l.contains(needle)).count();
    }

    private static void assertEachOnce(Result r, int n, String prefix) {
        for (int i = 1; i <= n; i++) {
            assertEquals(1, count(r.lines(), prefix + i + " "), prefix + i + " once in:\n" + r.out() + r.err());
        }
    }

    // ---- connection reuse, merge, failover, restart ----

    @Test
    void manyPollsUseOneTcpConnection() throws IOException {
        StubCollector s = stub();
        s.addTrap("a1", T - 10, 1, "fs00", "fs00-OST0001", "m1 ");
        List<Runnable> script = new ArrayList<>();
        for (int i = 2; i <= 25; i++) {
            int n = i;
            script.add(() -> s.addTrap("a" + n, T + n, 1, "fs00", "fs00-OST0001", "m" + n + " "));
        }
        Result r = run(script, false, "--interval", "1", s.url());
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 25, "m");
        assertTrue(s.calls.get() >= 26, "calls: " + s.calls.get());
        assertEquals(1, s.remotePorts.size(), "TCP connections (remote ports) " + s.remotePorts);
    }

    @Test
    void twoCollectorsWithOverlappingTrapsPrintEachTrapOnce() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        a.addTrap("only-a", T - 50, 2, "fs00", "n0", "m0 ");
        for (int i = 1; i <= 5; i++) {
            a.addTrap("id" + i, T - 40 + i, 2, "fs00", "n" + i, "m" + i + " ");
            b.addTrap("id" + i, T - 40 + i, 2, "fs00", "n" + i, "m" + i + " ");
        }
        b.addTrap("only-b", T - 5, 2, "fs00", "n6", "m6 ");
        Result r = run("--once", a.url(), b.url());
        assertEquals(0, r.code(), r.err());
        assertEquals(7, r.lines().size(), r.out());
        assertEachOnce(r, 6, "m");
        assertTrue(r.lines().get(0).contains("m0 ") && r.lines().get(6).contains("m6 "), "merged by time:\n" + r.out());
    }

    @Test
    void oneCollectorStoppedMidStreamTheOtherContinuesNothingLostOrDoubled() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        int[] n = {0};
        Runnable both = () -> {
            n[0]++;
            a.addTrap("id" + n[0], T + n[0], 1, "fs00", "n", "m" + n[0] + " ");
            b.addTrap("id" + n[0], T + n[0], 1, "fs00", "n", "m" + n[0] + " ");
        };
        Runnable onlyB = () -> {
            n[0]++;
            b.addTrap("id" + n[0], T + n[0], 1, "fs00", "n", "m" + n[0] + " ");
        };
        both.run();
        List<Runnable> script = List.of(both, both, () -> {
            a.stop();
            onlyB.run();
        }, onlyB, onlyB, onlyB);
        Result r = run(script, false, "--interval", "1", a.url(), b.url());
        assertEquals(0, r.code(), r.err());
        assertEquals(7, r.lines().size(), r.out());
        assertEachOnce(r, 7, "m");
        assertTrue(r.err().contains("127.0.0.1:" + a.port()) && r.err().contains("retrying in"), r.err());
    }

    @Test
    void restartedCollectorResumesWithoutDuplicates() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        for (int i = 1; i <= 5; i++) {
            a.addTrap("k" + i, T - 100 + i, 1, "fs00", "n", "m" + i + " ");
            b.addTrap("k" + i, T - 100 + i, 1, "fs00", "n", "m" + i + " ");
        }
        List<Runnable> script = List.of(() -> {
            try {
                a.restart(2_000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // A restarted collector re-reads the kernel ring buffer: the same events again.
            for (int i = 3; i <= 5; i++) {
                a.addTrap("k" + i, T + 10, T - 100 + i, 1, "fs00", "n", "m" + i + " ", 1);
            }
            a.addTrap("k6", T + 11, 1, "fs00", "n", "m6 ");
            b.addTrap("k6", T + 11, 1, "fs00", "n", "m6 ");
        }, () -> a.addTrap("k7", T + 20, 1, "fs00", "n", "m7 "), () -> { }, () -> { });
        Result r = run(script, false, "--interval", "1", a.url(), b.url());
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 7, "m");
        assertEquals(7, r.lines().size(), r.out());
    }

    @Test
    void singleCollectorRestartSeenByItsCursor() throws IOException {
        StubCollector a = stub();
        for (int i = 1; i <= 5; i++) {
            a.addTrap("k" + i, T - 100 + i, 1, "fs00", "n", "m" + i + " ");
        }
        List<Runnable> script = List.of(() -> {
            try {
                a.restart(1_000); // same `started`: only the cursor going back can tell
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            a.addTrap("k5", T + 5, T - 95, 1, "fs00", "n", "m5 ", 1);
            a.addTrap("k6", T + 6, 1, "fs00", "n", "m6 ");
        }, () -> { });
        Result r = run(script, false, "--interval", "1", a.url());
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 6, "m");
        assertTrue(r.err().contains("restarted"), r.err());
    }

    @Test
    void singleCollectorThatDiesEndsTheMonitorWithItsExitCode() throws IOException {
        StubCollector a = stub();
        a.addTrap("k1", T, 1, "fs00", "n", "m1 ");
        Result r = run(List.of(a::stop), false, "--interval", "1", a.url());
        assertEquals(Kind.UNREACHABLE.exitCode(), r.code());
        assertEachOnce(r, 1, "m");
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("unreachable"), r.err());
    }

    @Test
    void droppedTrapsAreReportedAsAGap() throws IOException {
        StubCollector a = stub();
        a.addTrap("k1", T, 1, "fs00", "n", "m1 ");
        Result r = run(List.of(() -> {
            a.dropOnce = 412;
            a.addTrap("k2", T + 1, 1, "fs00", "n", "m2 ");
        }), false, "--interval", "1", a.url());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("412 traps missed on 127.0.0.1"), r.out());
    }

    @Test
    void gzipAnswerIsInflatedOnceAndContentLengthSentOnce() throws IOException {
        StubCollector a = stub();
        a.gzipAnswers = true;
        for (int i = 1; i <= 30; i++) {
            a.addTrap("g" + i, T + i, 1, "fs00", "n", "m" + i + " compressible compressible compressible");
        }
        Result r = run("--once", a.url());
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 30, "m");
        assertTrue(a.acceptEncodings.stream().allMatch(h -> h.contains("gzip")), a.acceptEncodings.toString());
        assertTrue(a.contentLengthHeaders.stream().allMatch(n -> n == 1), a.contentLengthHeaders.toString());
    }

    @Test
    void httpsWithCacertAndWithoutIt() throws Exception {
        StubCollector a = StubCollector.startHttps();
        stubs.add(a);
        a.addTrap("s1", T, 1, "fs00", "n", "m1 ");
        Path pem = Path.of(getClass().getResource("/monitor/stub-ca.pem").toURI());
        Result ok = run("--once", "--cacert", pem.toString(), a.url());
        assertEquals(0, ok.code(), ok.err());
        assertEachOnce(ok, 1, "m");
        Result untrusted = run("--once", a.url());
        assertEquals(Kind.TLS.exitCode(), untrusted.code(), untrusted.err());
        assertTrue(untrusted.err().contains("TLS failure"), untrusted.err());
        Path notPem = tmp.resolve("x.pem");
        Files.writeString(notPem, "not a certificate");
        assertEquals(ExitCodes.USAGE, run("--once", "--cacert", notPem.toString(), a.url()).code());
    }

    // ---- output ----

    @Test
    void textLineFormatColourAndFilters() throws IOException {
        StubCollector a = stub();
        a.addTrap("old", T - 7200, 3, "fs00", "fs00-OST0001", "too old");
        a.addTrap("info", T - 60, 0, "fs00", "fs00-OST0002", "just info");
        a.addTrap("crit", T - 30, T - 31, 2, "fs00", "fs00-OST0003", "not responding\n\u009b2J", 3);
        Result plain = run("--once", "--since", "1h", "--min-category", "Warning", a.url());
        assertEquals(List.of("2024-12-31T23:59:29 Critical fs00 fs00-OST0003 not responding??2J (x3)"), plain.lines());
        Result coloured = run(List.of(), true, "--once", "--since", "30m", a.url());
        assertTrue(coloured.out().contains("\u001b[31mCritical\u001b[0m"), coloured.out());
        assertEquals(2, coloured.lines().size());
        Result noColour = run(List.of(), true, "--once", "--no-color", a.url());
        assertFalse(noColour.out().contains("\u001b"), noColour.out());
        assertEquals(3, noColour.lines().size());
        Result iso = run("--once", "--since", "2024-12-31T23:59:10Z", a.url());
        assertEquals(1, iso.lines().size(), iso.out());
    }

    @Test
    void jsonOutputIsOneObjectPerLine() throws IOException {
        StubCollector a = stub();
        a.addTrap("j1", T - 5, 2, "fs00", "fs00-OST0001", "quote \" and \\ back");
        Result r = run("--once", "--json", a.url());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.lines().size());
        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(r.lines().get(0))) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, p.getText());
            }
        }
        assertEquals("trap", fields.get("type"));
        assertEquals("j1", fields.get("id"));
        assertEquals("Critical", fields.get("category"));
        assertEquals("quote \" and \\ back", fields.get("message"));
        assertEquals("2024-12-31T23:59:55", fields.get("when"));
        assertEquals("127.0.0.1", fields.get("collector"));
    }

    @Test
    void helpListsOptionsAndExitCodes() {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--password-file FILE"), r.out());
        assertTrue(r.out().contains(" 13  HTTP 401"), r.out());
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertEquals(ExitCodes.USAGE, run().code());
        assertEquals(ExitCodes.USAGE, run("ftp://x/").code());
        assertEquals(ExitCodes.USAGE, run("--since", "yesterday", "http://x/").code());
        Result pw = run("--password", "secret", "http://x/");
        assertEquals(ExitCodes.USAGE, pw.code());
        assertTrue(pw.err().contains("never taken on the command line"), pw.err());
        Result noPw = run("--user", "alice", "http://x/");
        assertEquals(ExitCodes.USAGE, noPw.code());
        assertTrue(noPw.err().contains(MonitorOptions.PASSWORD_ENV), noPw.err());
    }

    // ---- credentials ----

    @Test
    void basicAuthIsSentPreemptivelyFromPasswordFile() throws IOException {
        StubCollector a = stub();
        a.addTrap("k1", T, 1, "fs00", "n", "m1 ");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s3cr\u00e9t\n");
        Result r = run("--once", "--user", "alice", "--password-file", pw.toString(), a.url());
        assertEquals(0, r.code(), r.err());
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr\u00e9t".getBytes(StandardCharsets.UTF_8));
        assertEquals(a.calls.get(), a.authorizations.size());
        assertTrue(a.authorizations.stream().allMatch(expected::equals), a.authorizations.toString());
    }

    @Test
    void basicAuthFromEnvironment() throws IOException {
        StubCollector a = stub();
        environment.put(MonitorOptions.PASSWORD_ENV, "envpw");
        Result r = run("--once", "--user", "bob", a.url());
        assertEquals(0, r.code(), r.err());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("bob:envpw".getBytes(StandardCharsets.UTF_8)),
                a.authorizations.get(0));
    }

    @Test
    void noAuthorizationHeaderWithoutUser() throws IOException {
        StubCollector a = stub();
        assertEquals(0, run("--once", a.url()).code());
        assertTrue(a.authorizations.isEmpty());
    }

    // ---- failures ----

    private Result hostile(BiFunction<String, List<Object>, StubCollector.Canned> answer, String... extra)
            throws IOException {
        StubCollector a = stub();
        a.override = answer;
        List<String> args = new ArrayList<>(List.of("--once"));
        args.addAll(List.of(extra));
        args.add(a.url());
        return run(args.toArray(new String[0]));
    }

    @Test
    void httpStatusesMapToTheirExitCodes() throws IOException {
        int[][] cases = {{401, Kind.UNAUTHORIZED.exitCode()}, {403, Kind.FORBIDDEN.exitCode()}, {405, Kind.METHOD_NOT_ALLOWED.exitCode()},
                {404, Kind.HTTP_ERROR.exitCode()}, {500, Kind.HTTP_ERROR.exitCode()}, {502, Kind.UNREACHABLE.exitCode()}};
        for (int[] c : cases) {
            Result r = hostile((m, p) -> StubCollector.Canned.status(c[0]));
            assertEquals(c[1], r.code(), "HTTP " + c[0] + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("HTTP " + c[0]), r.err());
        }
    }

    @Test
    void faultWithSerializedCauseIsShownAndNeverDeserialized() throws IOException {
        SafeResponseParserTest.Canary.DESERIALIZED.set(0);
        String fault = SafeResponseParserTest.faultWithCause();
        Result r = hostile((m, p) -> StubCollector.Canned.xml(fault));
        assertEquals(Kind.FAULT.exitCode(), r.code(), r.err());
        assertTrue(r.err().contains("XML-RPC fault 7: boom"), r.err());
        assertEquals(0, SafeResponseParserTest.Canary.DESERIALIZED.get());
    }

    @Test
    void plainFaultFromTheCollector() throws IOException {
        Result r = hostile((m, p) -> m.equals("getTrapRecords")
                ? StubCollector.Canned.xml(StubCollector.fault(4, "collector not ready")) : null);
        assertEquals(Kind.FAULT.exitCode(), r.code());
        assertTrue(r.err().contains("fault 4: collector not ready"), r.err());
    }

    @Test
    void hugeAnswerIsCutOffAtTheCap() throws IOException {
        long fifty = 50L * 1024 * 1024;
        StubCollector a = stub();
        a.override = (m, p) -> new StubCollector.Canned(200, "text/xml", new byte[0], fifty, 0);
        Result r = run("--once", "--max-answer-mib", "16", a.url());
        assertEquals(Kind.TOO_LARGE.exitCode(), r.code(), r.err());
        assertTrue(r.err().contains("more than 16 MiB"), r.err());
        a.stop(); // waits for the handler: it must have failed to write the rest
        assertFalse(a.streamFinished, "the client read the whole 50 MiB");
        assertTrue(a.streamedBytes.get() < fifty, "bytes written " + a.streamedBytes.get());
    }

    @Test
    void garbageIsNotXmlRpc() throws IOException {
        Result r = hostile((m, p) -> new StubCollector.Canned(200, "text/plain",
                "hello, I am not XML".getBytes(StandardCharsets.UTF_8), 0, 0));
        assertEquals(Kind.NOT_XMLRPC.exitCode(), r.code(), r.err());
        assertTrue(r.err().contains("not XML-RPC"), r.err());
        Result html = hostile((m, p) -> StubCollector.Canned.xml("<html><body>proxy login</body></html>"));
        assertEquals(Kind.NOT_XMLRPC.exitCode(), html.code(), html.err());
        Result empty = hostile((m, p) -> new StubCollector.Canned(200, "text/xml", new byte[0], 0, 0));
        assertEquals(Kind.NOT_XMLRPC.exitCode(), empty.code(), empty.err());
        Result wrongShape = hostile((m, p) -> StubCollector.Canned.xml(StubCollector.response("just a string")));
        assertEquals(Kind.NOT_XMLRPC.exitCode(), wrongShape.code(), wrongShape.err());
    }

    @Test
    void doctypeAnswerIsRefusedBeforeAnyEntityIsFetched() throws IOException {
        StubCollector bait = stub();
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE methodResponse [<!ENTITY x SYSTEM \"" + bait.url() + "\">]>"
                + "<methodResponse><params><param><value>&x;</value></param></params></methodResponse>";
        Result r = hostile((m, p) -> StubCollector.Canned.xml(xml));
        assertEquals(Kind.NOT_XMLRPC.exitCode(), r.code(), r.err());
        assertTrue(r.err().contains("DOCTYPE"), r.err());
        assertEquals(0, bait.calls.get(), "the external entity was fetched");
        assertFalse(r.err().contains("[Fatal Error]"), r.err());
    }

    @Test
    void slowAnswerTimesOut() throws IOException {
        Result r = hostile((m, p) -> new StubCollector.Canned(200, "text/xml",
                StubCollector.response(1).getBytes(StandardCharsets.UTF_8), 0, 20_000), "--timeout", "0.5");
        assertEquals(Kind.TIMEOUT.exitCode(), r.code(), r.err());
        assertTrue(r.err().contains("timed out"), r.err());
    }

    @Test
    void refusedConnectionIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Result r = run("--once", "http://127.0.0.1:" + port + "/RPC2");
        assertEquals(Kind.UNREACHABLE.exitCode(), r.code());
        assertTrue(r.err().contains("connection refused"), r.err());
    }

    @Test
    void twoUrlsGoOnWhileOneAnswersAndStopWhenNoneDoes() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        a.override = (m, p) -> StubCollector.Canned.status(403);
        b.addTrap("k1", T, 1, "fs00", "n", "m1 ");
        Result r = run("--once", a.url(), b.url());
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 1, "m");
        assertTrue(r.err().contains("HTTP 403"), r.err());
        b.override = (m, p) -> StubCollector.Canned.status(401);
        Result none = run("--once", a.url(), b.url());
        assertTrue(none.code() == Kind.UNAUTHORIZED.exitCode() || none.code() == Kind.FORBIDDEN.exitCode(), none.err());
        assertTrue(none.err().contains("no collector answers"), none.err());
    }

    // ---- any number of collectors (the pair of each MDS, many pairs) ----

    private String[] withUrls(List<StubCollector> collectors, String... before) {
        List<String> args = new ArrayList<>(List.of(before));
        for (StubCollector c : collectors) {
            args.add(c.url());
        }
        return args.toArray(new String[0]);
    }

    @Test
    void fourCollectorsOverlappingPrintEachTrapOnceMergedByTime() throws IOException {
        List<StubCollector> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            StubCollector s = stub();
            all.add(s);
            for (int i = 1; i <= 3; i++) {
                s.addTrap("shared" + i, T - 40 + i, 2, "fs00", "n" + i, "m" + i + " ");
            }
            s.addTrap("only" + c, T - 30 + c, 2, "fs0" + c, "x" + c, "m" + (4 + c) + " ");
        }
        Result r = run(withUrls(all, "--once"));
        assertEquals(0, r.code(), r.err());
        assertEquals(7, r.lines().size(), r.out());
        assertEachOnce(r, 7, "m");
        for (int i = 0; i < 7; i++) {
            assertTrue(r.lines().get(i).contains("m" + (i + 1) + " "), "merged by time:\n" + r.out());
        }
    }

    @Test
    void manyCollectorsGoOnWhileAnyAnswersAndStopWhenNoneDoes() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        StubCollector c = stub();
        a.override = (m, p) -> StubCollector.Canned.status(403);
        b.addTrap("k1", T, 1, "fs00", "n", "m1 ");
        c.addTrap("k2", T + 1, 1, "fs01", "n", "m2 ");
        Result r = run(withUrls(List.of(a, b, c), "--once"));
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 2, "m");
        assertEquals(1, count(Arrays.asList(r.err().split("\n")), "HTTP 403"), r.err());
        b.override = (m, p) -> StubCollector.Canned.status(403);
        c.override = (m, p) -> StubCollector.Canned.status(403);
        Result none = run(withUrls(List.of(a, b, c), "--once"));
        assertEquals(Kind.FORBIDDEN.exitCode(), none.code(), none.err());
        assertTrue(none.err().contains("no collector answers"), none.err());
    }

    /**
     * Each collector answers only once all of them have been asked: a monitor that asked them one
     * after another, or shared too few connections among them, would see them fail instead.
     */
    private static void answerOnlyWhenAllAsked(List<StubCollector> all, String method) {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(all.size());
        for (StubCollector s : all) {
            s.override = (m, p) -> {
                if (!m.equals(method)) {
                    return null;
                }
                asked.countDown();
                try {
                    return asked.await(20, TimeUnit.SECONDS) ? null : StubCollector.Canned.status(503);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return StubCollector.Canned.status(503);
                }
            };
        }
    }

    @Test
    void everyCollectorIsFollowedOnItsOwnThreadAndConnection() throws IOException {
        List<StubCollector> all = new ArrayList<>();
        for (int c = 1; c <= 5; c++) {
            StubCollector s = stub();
            s.addTrap("t" + c, T + c, 1, "fs00", "n" + c, "m" + c + " ");
            all.add(s);
        }
        answerOnlyWhenAllAsked(all, "getTrapRecords");
        Result r = run(withUrls(all, "--once", "--timeout", "60"));
        assertEquals(0, r.code(), r.err());
        assertEachOnce(r, 5, "m");
        assertFalse(r.err().contains("503"), r.err());
    }

    @Test
    void statusAsksEveryCollectorAtOnceAndListsEachOne() throws IOException {
        List<StubCollector> all = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            StubCollector s = stub();
            s.addFileSystem("fs0" + c, 10 + c, c == 2 ? List.of("fs02-OST0001") : List.of(), 1000, 500);
            all.add(s);
        }
        answerOnlyWhenAllAsked(all, "getFileSystems");
        Result r = run(withUrls(all, "status", "--timeout", "60"));
        assertEquals(0, r.code(), r.err());
        for (StubCollector s : all) {
            assertEquals(1, count(r.lines(), "Collector 127.0.0.1:" + s.port() + " (" + s.url() + "): version stub"),
                    r.out());
        }
        for (int c = 0; c < 4; c++) {
            assertTrue(r.out().contains("fs0" + c + ": " + (10 + c) + " targets, "
                    + (c == 2 ? "1 not responding" : "all responding")), r.out());
        }
    }

    @Test
    void checkCoversEveryCollectorAndWarnsForEachOneDown() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        StubCollector c = stub();
        a.addFileSystem("fs00", 100, List.of(), 1000, 500);
        b.addFileSystem("fs01", 50, List.of("fs01-OST0003"), 1000, 500);
        c.override = (m, p) -> StubCollector.Canned.status(403);
        Result r = run("check", "--warning-not-responding", "5", "--critical-not-responding", "10",
                a.url(), b.url(), c.url());
        assertEquals(ExitCodes.NAGIOS_WARNING, r.code(), r.out());
        assertTrue(r.out().startsWith("LUSTRE WARNING - 1 target not responding in fs01; 127.0.0.1:" + c.port()
                + ": access forbidden"), r.out());
        c.override = null;
        c.addFileSystem("fs02", 7, List.of(), 1000, 500);
        b.fileSystems.clear();
        b.addFileSystem("fs01", 50, List.of(), 1000, 500);
        Result ok = run("check", a.url(), b.url(), c.url());
        assertEquals(ExitCodes.NAGIOS_OK, ok.code(), ok.out());
        assertEquals("LUSTRE OK - 3 file systems, 157 targets, all responding | notresponding=0;1;1 traps_critical=0;;1",
                ok.out().trim());
    }

    @Test
    void theSameUrlTwiceIsAUsageError() throws IOException {
        StubCollector a = stub();
        Result r = run("--once", a.url(), a.url());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("given twice: " + a.url()), r.err());
    }

    // ---- status ----

    @Test
    void statusListsFileSystemsSpaceAndFirstTwentyNonResponding() throws IOException {
        StubCollector a = stub();
        List<String> down = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            down.add(String.format("fs00-OST%04x", i));
        }
        a.addFileSystem("fs00", 1200, down, 4.0 * 1024 * 1024 * 1024, 1024 * 1024 * 1024);
        a.addFileSystem("fs01", 10, List.of(), 0, 0);
        Result r = run("status", a.url());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fs00: 1,200 targets, 25 not responding, 75.0% used (3.0 TiB of 4.0 TiB, 1.0 TiB free)"),
                r.out());
        assertTrue(r.out().contains("    fs00-OST0013\n"), r.out());
        assertFalse(r.out().contains("fs00-OST0014"), r.out());
        assertTrue(r.out().contains("    ... and 5 more"), r.out());
        assertTrue(r.out().contains("fs01: 10 targets, all responding, space unknown"), r.out());
        assertTrue(r.out().contains("Collector 127.0.0.1 (" + a.url() + "): version stub"), r.out());
    }

    @Test
    void statusOfAnUnreachableCollectorFails() throws IOException {
        StubCollector a = stub();
        a.override = (m, p) -> StubCollector.Canned.status(405);
        Result r = run("status", a.url());
        assertEquals(Kind.METHOD_NOT_ALLOWED.exitCode(), r.code());
        assertTrue(r.out().isEmpty());
    }

    // ---- check (Nagios) ----

    @Test
    void checkOk() throws IOException {
        StubCollector a = stub();
        a.addFileSystem("fs00", 100, List.of(), 1000, 500);
        a.addTrap("w", T - 60, 1, "fs00", "n", "a warning");
        a.addTrap("c-old", T - 7200, 2, "fs00", "n", "an old critical");
        Result r = run("check", a.url());
        assertEquals(ExitCodes.NAGIOS_OK, r.code(), r.out());
        assertEquals("LUSTRE OK - 1 file systems, 100 targets, all responding | notresponding=0;1;1 traps_critical=0;;1",
                r.out().trim());
    }

    @Test
    void checkWarning() throws IOException {
        StubCollector a = stub();
        a.addFileSystem("fs00", 100, List.of("fs00-OST0001", "fs00-OST0002"), 1000, 500);
        Result r = run("check", "--warning-not-responding", "1", "--critical-not-responding", "5", a.url());
        assertEquals(ExitCodes.NAGIOS_WARNING, r.code(), r.out());
        assertEquals("LUSTRE WARNING - 2 targets not responding in fs00 | notresponding=2;1;5 traps_critical=0;;1",
                r.out().trim());
    }

    @Test
    void checkCritical() throws IOException {
        StubCollector a = stub();
        a.addFileSystem("fs00", 100, List.of("fs00-OST0001", "fs00-OST0002", "fs00-OST0003"), 1000, 500);
        for (int i = 0; i < 5; i++) {
            a.addTrap("c" + i, T - 60 + i, 2 + (i % 2), "fs00", "n", "bad " + i);
        }
        Result r = run("check", a.url());
        assertEquals(ExitCodes.NAGIOS_CRITICAL, r.code(), r.out());
        assertEquals("LUSTRE CRITICAL - 3 targets not responding in fs00; 5 Critical or worse traps since 1h"
                + " | notresponding=3;1;1 traps_critical=5;;1", r.out().trim());
        Result trapsOnly = run("check", "--warning-not-responding", "0", "--critical-not-responding", "0",
                "--critical-category", "Fatal", "--since", "30m", a.url());
        assertEquals(ExitCodes.NAGIOS_CRITICAL, trapsOnly.code(), trapsOnly.out());
        assertTrue(trapsOnly.out().contains("traps_critical=2;;1"), trapsOnly.out());
    }

    @Test
    void checkUnknownWhenNoCollectorAnswers() throws IOException {
        StubCollector a = stub();
        a.stop();
        Result r = run("check", a.url());
        assertEquals(ExitCodes.NAGIOS_UNKNOWN, r.code());
        assertTrue(r.out().startsWith("LUSTRE UNKNOWN - no collector answered: 127.0.0.1: unreachable"), r.out());
        assertEquals(ExitCodes.NAGIOS_UNKNOWN, run("check", "--critical-category", "Dire", a.url()).code());
    }

    @Test
    void checkWarnsWhenOneOfTwoCollectorsIsDown() throws IOException {
        StubCollector a = stub();
        StubCollector b = stub();
        b.addFileSystem("fs00", 100, List.of(), 1000, 500);
        a.override = (m, p) -> StubCollector.Canned.status(403);
        Result r = run("check", a.url(), b.url());
        assertEquals(ExitCodes.NAGIOS_WARNING, r.code(), r.out());
        assertTrue(r.out().contains("127.0.0.1:" + a.port() + ": access forbidden"), r.out());
    }

    // ---- a hung collector ----

    /** Accepts connections and never answers: a hung MDS. Closing it closes every accepted socket. */
    private static final class HungCollector implements AutoCloseable {
        final ServerSocket listener;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        HungCollector() throws IOException {
            listener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::acceptAll, "hung-collector");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptAll() {
            while (true) {
                try {
                    accepted.add(listener.accept());
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        String url() {
            return "http://127.0.0.1:" + listener.getLocalPort() + "/RPC2";
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : accepted) {
                s.close();
            }
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The monitor's collector threads end once the command returned (it closed its HTTP session). */
    private static void awaitNoPollThreads() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pollThreads().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), pollThreads());
    }

    private static List<String> pollThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("monitor-poll-") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void hungCollectorDoesNotDelayTheOthersTraps() throws Exception {
        try (HungCollector hung = new HungCollector()) {
            StubCollector b = stub();
            b.addTrap("k1", T - 20, 1, "fs00", "n", "m1 ");
            b.addTrap("k2", T - 10, 1, "fs00", "n", "m2 ");
            List<Runnable> script = List.of(
                    () -> b.addTrap("k3", T + 1, 1, "fs00", "n", "m3 "),
                    () -> b.addTrap("k4", T + 2, 1, "fs00", "n", "m4 "),
                    () -> { });
            Result r = run(script, false, "--interval", "1", "--timeout", "30", hung.url(), b.url());
            assertEquals(0, r.code(), r.err());
            assertEquals(4, r.lines().size(), r.out());
            assertEachOnce(r, 4, "m");
            assertTrue(r.err().contains("127.0.0.1:" + hung.port() + ": no answer within 1 s; going on with the other"),
                    r.err());
            // Sequential polls would have waited for its 30 s read timeout before asking b at all.
            assertFalse(r.err().contains("timed out"), r.err());
            assertEquals(1, r.err().lines().count(), "the slow collector is reported once: " + r.err());
            assertEquals(1, hung.accepted.size(), "one attempt at a time, no second request while it hangs");
            awaitNoPollThreads();
        }
    }

    @Test
    void onceWithAHungCollectorPrintsTheOtherAndWaitsForTheTimeout() throws Exception {
        try (HungCollector hung = new HungCollector()) {
            StubCollector b = stub();
            b.addTrap("k1", T - 20, 1, "fs00", "n", "m1 ");
            b.addTrap("k2", T - 10, 1, "fs00", "n", "m2 ");
            Result r = run("--once", "--interval", "0.2", "--timeout", "1", hung.url(), b.url());
            assertEquals(0, r.code(), r.err());
            assertEquals(2, r.lines().size(), r.out());
            assertEachOnce(r, 2, "m");
            String name = "127.0.0.1:" + hung.port();
            int slow = r.err().indexOf(name + ": no answer within 0.2 s");
            int timedOut = r.err().indexOf(name + ": timed out");
            assertTrue(slow >= 0 && timedOut > slow, "slow first, then its timeout:\n" + r.err());
            awaitNoPollThreads();
        }
    }

    @Test
    void singleHungCollectorEndsWithTheTimeoutExitCode() throws Exception {
        try (HungCollector hung = new HungCollector()) {
            Result r = run("--once", "--interval", "0.2", "--timeout", "1", hung.url());
            assertEquals(Kind.TIMEOUT.exitCode(), r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("timed out"), r.err());
            awaitNoPollThreads();
        }
    }
}
