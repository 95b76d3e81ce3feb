package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sender against a stub Alertmanager on a loopback port: what fails with 503 is kept and sent
 * again, a 400 batch is dropped and counted, a full queue counts instead of blocking.
 */
class AlertmanagerSenderTest {
    private HttpServer server;
    private final AtomicInteger answer = new AtomicInteger(200);
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int code = answer.get();
            if (code == 200) {
                bodies.add(body);
            }
            byte[] out = (code == 200 ? "" : "no").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, out.length == 0 ? -1 : out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/am");
    }

    private static Alert alert(String id) {
        return new Alert(Map.of("alertname", "LustreTrap", "id", id), Map.of(), 1_000, 0);
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void unavailableThenBackGetsEverythingQueued() throws Exception {
        answer.set(503);
        try (AlertmanagerSender s = new AlertmanagerSender(base())) {
            s.start();
            for (int i = 0; i < 3; i++) {
                s.offer(alert("a" + i));
            }
            await(() -> "error".equals(s.stats().state()), "a failed send");
            assertEquals(3, s.stats().queued());
            assertEquals(0, s.stats().sent());
            answer.set(200);
            await(() -> s.stats().sent() == 3, "the queued alerts sent");
            String all = String.join("", bodies);
            for (int i = 0; i < 3; i++) {
                assertTrue(all.contains("\"id\":\"a" + i + "\""), all);
            }
            assertEquals("ok", s.stats().state());
            assertEquals(0, s.stats().rejected());
            assertTrue(paths.stream().allMatch(p -> p.equals("POST /am/api/v2/alerts")), paths.toString());
        }
    }

    @Test
    void aRefusedBatchIsDroppedAndCounted() throws Exception {
        answer.set(400);
        try (AlertmanagerSender s = new AlertmanagerSender(base())) {
            s.start();
            s.offer(alert("bad"));
            await(() -> s.stats().rejected() == 1, "the refusal counted");
            assertEquals(0, s.stats().queued());
            assertTrue(s.stats().message().startsWith("HTTP 400"), s.stats().message());
        }
    }

    @Test
    void aFullQueueCountsAndNeverBlocks() {
        AlertmanagerSender s = new AlertmanagerSender(base()); // not started: nothing drains
        for (int i = 0; i < AlertmanagerSender.QUEUE_CAPACITY + 5; i++) {
            s.offer(alert("x" + i));
        }
        assertEquals(5, s.stats().queueFull());
        assertEquals(AlertmanagerSender.QUEUE_CAPACITY, s.stats().queued());
        s.close();
    }

    @Test
    void refreshesOfOpenAlertsTakeHalfTheQueueAtMostAndAreNeverCountedAsLost() {
        AlertmanagerSender s = new AlertmanagerSender(base()); // not started: nothing drains
        for (int i = 0; i < AlertmanagerSender.QUEUE_CAPACITY; i++) {
            s.offerRefresh(alert("open" + i));
        }
        assertEquals(AlertmanagerSender.QUEUE_CAPACITY / 2, s.stats().queued());
        assertEquals(0, s.stats().queueFull());
        s.offer(alert("new"));
        assertEquals(AlertmanagerSender.QUEUE_CAPACITY / 2 + 1, s.stats().queued());
        s.close();
    }
}
