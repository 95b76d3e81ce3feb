package org.lustre.collector.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.rpc.Answer;

/**
 * The outside attack's inputs against a collector process with the packaged heap (192 MiB, exit on
 * OutOfMemoryError): it must answer them and still be alive. Before the answer byte cap, both
 * ended in OutOfMemoryError.
 */
class HeapBoundTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory("heap-bound-");
    }

    @AfterEach
    void clean() {
        org.lustre.collector.TempTree.delete(dir);
    }

    private ChildCollector start(Path trapFile, String maxtraps) throws Exception {
        return ChildCollector.start(dir, "--port", "0", "-h", "127.0.0.1", "-r", dir.toString(), "-k", "none",
                "-t", trapFile.toString(), "-m", maxtraps, "--allow-root");
    }

    private static HttpRequest call(int port, String xml) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/RPC2"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build();
    }

    private static Map<?, ?> collectorInfo(int port) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(call(port, Answer.call("getCollectorInfo")),
                HttpResponse.BodyHandlers.ofByteArray());
        return (Map<?, ?>) Answer.parse(r.body()).value();
    }

    private static void awaitReceived(ChildCollector c, int port, int n) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while ((Integer) collectorInfo(port).get("trapsReceived") < n) {
            assertTrue(c.process.isAlive(), c.output());
            assertTrue(System.nanoTime() < deadline, "traps not read: " + collectorInfo(port));
            Thread.sleep(200);
        }
    }

    @Test
    void sixConcurrentGetTrapsOfSixtyTrapsOf64KiBOfAmpersands() throws Exception {
        Path traps = dir.resolve("traps.log");
        long now = System.currentTimeMillis() / 1000;
        try (BufferedWriter w = Files.newBufferedWriter(traps, UTF_8)) {
            for (int i = 0; i < 60; i++) {
                w.write("amp-" + i + "\t" + now + "\tWarning\tfsa\tfsa-OST" + i + "\t" + i + " "
                        + "&".repeat(64 * 1024 - 40) + "\n");
            }
        }
        try (ChildCollector c = start(traps, "250")) {
            int port = c.awaitPort();
            awaitReceived(c, port, 60);
            Thread.sleep(1100); // so that their second is closed and getTraps(0) returns them
            List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(HTTP.sendAsync(call(port, Answer.call("getTraps", "<int>0</int>")),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (CompletableFuture<HttpResponse<byte[]>> f : calls) {
                HttpResponse<byte[]> r = f.get();
                assertEquals(200, r.statusCode());
                assertTrue(r.body().length <= (4 << 20) + 4096, r.body().length + " bytes");
                Object[] answer = (Object[]) Answer.parse(r.body()).value();
                assertTrue(((Object[]) answer[0]).length > 0);
            }
            assertTrue(c.process.isAlive(), c.output());
            assertEquals(60, collectorInfo(port).get("trapsReceived"));
        }
    }

    /**
     * The most traps this heap may hold (maxtraps beyond it is refused at start), each at the
     * longest message: without the answer cap one getTrapRecords would write ~100 MB of escaped
     * XML into a 192 MiB heap.
     */
    @Test
    void oneGetTrapRecordsOfAsManyLongestTrapsAsTheHeapMayHold() throws Exception {
        int n = 5_000;
        Path traps = dir.resolve("traps.log");
        long now = System.currentTimeMillis() / 1000;
        try (BufferedWriter w = Files.newBufferedWriter(traps, UTF_8)) {
            for (int i = 0; i < n; i++) {
                w.write("rec-" + i + "\t" + now + "\tInfo\tfsr\tfsr-OST" + i + "\tmessage " + Integer.toString(i, 26)
                        .replace('0', 'z') + " " + "&".repeat(4_000) + "\n");
            }
        }
        try (ChildCollector c = start(traps, Integer.toString(n))) {
            int port = c.awaitPort();
            awaitReceived(c, port, n);
            HttpResponse<byte[]> r = HTTP.send(call(port, Answer.call("getTrapRecords", "<int>0</int>",
                    "<int>" + n + "</int>")), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().length <= (4 << 20) + 64 * 1024, r.body().length + " bytes");
            Map<?, ?> page = (Map<?, ?>) Answer.parse(r.body()).value();
            assertEquals(Boolean.TRUE, page.get("truncated"));
            assertTrue(((Object[]) page.get("traps")).length > 0);
            assertTrue(c.process.isAlive(), c.output());
        }
    }
}
