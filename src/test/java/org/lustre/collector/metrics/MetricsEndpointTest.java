package org.lustre.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.web.EmbeddedServer;

/**
 * GET /metrics on the embedded server over a simulated tree: the series a site's rules use, their
 * values after an OST goes down, OpenMetrics on request, GET only, and the access rule of /RPC2.
 */
class MetricsEndpointTest {
    private static Path dir;
    private static SimulatedTree tree;
    private static EmbeddedServer server;
    private static String url;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("metrics-");
        tree = SimulatedTree.create(dir.resolve("lustre"), 2, 8, "2.15");
        CollectorConfig config = ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", tree.root().toString(), "kmsg", "none", "interval", "1"));
        server = EmbeddedServer.start(config);
        url = "http://127.0.0.1:" + server.port() + "/metrics";
        await(() -> server.collector().ready(), "first scan");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        org.lustre.collector.TempTree.delete(dir);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOstDownShowsInItsSeriesAndItsFileSystem() throws Exception {
        String fs = tree.fileSystems().get(0);
        String ost = SimulatedTree.targetName(fs, 1);
        HttpResponse<String> r = get(null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").replace(" ", "").startsWith("text/plain;version=0.0.4"),
                r.headers().toString());
        String body = r.body();
        assertTrue(body.contains("lustre_collector_target_up{fs=\"" + fs + "\",kind=\"OST\",target=\"" + ost + "\"} 1.0\n"), body);
        assertTrue(body.contains("lustre_collector_target_active{fs=\"" + fs + "\",kind=\"OST\",target=\"" + ost + "\"} 1.0\n"));
        assertTrue(body.contains("lustre_collector_filesystem_targets_not_responding{fs=\"" + fs + "\"} 0.0\n"), body);
        assertTrue(body.contains("lustre_collector_info{lustre_version=\"2.15"), body);
        assertTrue(body.contains("lustre_collector_ready 1.0\n"));

        tree.ostDown(fs, 1);
        await(() -> !server.collector().snapshot().nodes().get(ost).responding(), "the scan to see " + ost + " down");
        await(() -> server.collector().store().countsByCategory(fs)[2] > 0, "the Critical trap");
        body = get(null).body();
        assertTrue(body.contains("lustre_collector_target_up{fs=\"" + fs + "\",kind=\"OST\",target=\"" + ost + "\"} 0.0\n"), body);
        assertTrue(body.contains("lustre_collector_filesystem_targets_not_responding{fs=\"" + fs + "\"} 1.0\n"), body);
        assertTrue(body.contains("lustre_collector_traps_received_total{category=\"Critical\",fs=\"" + fs
                + "\",source=\"scan\"} 1.0\n"), body);
        assertTrue(body.contains("lustre_collector_traps_received_total{category=\"Info\",fs=\"" + fs
                + "\",source=\"scan\"} 0.0\n"), "every category of a source that sent any: " + body);
        tree.ostUp(fs, 1);
        await(() -> server.collector().snapshot().nodes().get(ost).responding(), ost + " back");
    }

    @Test
    void openMetricsWhenAsked() throws Exception {
        HttpResponse<String> r = get("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(r.body().endsWith("# EOF\n"), r.body());
        assertTrue(r.body().contains("# TYPE lustre_collector_traps_coalesced counter\n"), r.body());
    }

    @Test
    void getOnlyNotThePostOnlyRuleOfRpc2() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
    }

    @Test
    void aPeerOutsideAllowIsRefusedAsOnRpc2() throws Exception {
        Path other = Files.createTempDirectory(dir, "denied-");
        CollectorConfig config = ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", tree.root().toString(), "kmsg", "none", "allow", "10.0.0.0/8"));
        try (EmbeddedServer denied = EmbeddedServer.start(config)) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + denied.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, r.statusCode());
        }
        Files.deleteIfExists(other);
    }
}
