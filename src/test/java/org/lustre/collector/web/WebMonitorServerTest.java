package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.ConfigLoader;

/**
 * The monitor page's files over the embedded server (webapp/ from target/classes here; the
 * integration tests cover the packaged jar): served to an allowed peer with the security
 * headers, refused to any other, and /RPC2 still POST only.
 */
class WebMonitorServerTest {
    private static Path dir;
    private static EmbeddedServer allowed;
    private static EmbeddedServer refusing;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("webmon-");
        allowed = EmbeddedServer.start(ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", dir.toString(), "kmsg", "none", "interval", "1")));
        // Loopback is not in this one's allow list: every request from the test is a stranger's.
        refusing = EmbeddedServer.start(ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", dir.toString(), "kmsg", "none", "interval", "1", "allow", "192.0.2.1/32")));
    }

    @AfterAll
    static void stop() {
        if (allowed != null) {
            allowed.close();
        }
        if (refusing != null) {
            refusing.close();
        }
        org.lustre.collector.TempTree.delete(dir);
    }

    private static HttpResponse<String> send(EmbeddedServer server, String method, String path) throws Exception {
        HttpRequest.BodyPublisher body = "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("x")
                : HttpRequest.BodyPublishers.noBody();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertEquals(SecurityHeadersFilter.CONTENT_SECURITY_POLICY, csp);
        assertTrue(csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    }

    @Test
    void pageAtTheRootWithSecurityHeaders() throws Exception {
        HttpResponse<String> r = send(allowed, "GET", "/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html;charset=UTF-8", r.headers().firstValue("Content-Type").orElse("")
                .replace(" ", ""));
        assertTrue(r.body().contains("<script src=\"app.js\" defer></script>"), r.body());
        assertTrue(r.body().contains("id=\"traps-table\""), r.body());
        assertSecurityHeaders(r);
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(r.headers().firstValue("ETag").isPresent(), "revalidation needs an ETag");
        assertEquals(r.body(), send(allowed, "GET", "/index.html").body());
    }

    @Test
    void scriptAndStyleWithTheirTypes() throws Exception {
        HttpResponse<String> js = send(allowed, "GET", "/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(js.body().contains("getTrapRecords"));
        assertSecurityHeaders(js);
        HttpResponse<String> css = send(allowed, "GET", "/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        assertSecurityHeaders(css);
    }

    @Test
    void refusedPeerGets403AndNoPage() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/app.js", "/app.css", "/RPC2"}) {
            HttpResponse<String> r = send(refusing, "GET", path);
            assertEquals(403, r.statusCode(), path);
            assertFalse(r.body().contains("app.js") || r.body().contains("XML-RPC"), path + ": " + r.body());
        }
        assertEquals(403, send(refusing, "POST", "/RPC2").statusCode());
    }

    @Test
    void rpcStaysPostOnlyAndUncached() throws Exception {
        HttpResponse<String> r = send(allowed, "GET", "/RPC2");
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> call = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + allowed.port() + "/RPC2")).POST(HttpRequest.BodyPublishers.ofString(
                "<?xml version=\"1.0\"?><methodCall><methodName>getCollectorInfo</methodName></methodCall>"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, call.statusCode());
        assertTrue(call.body().contains("<name>trapsReceived</name>"), call.body());
        assertEquals("no-store", call.headers().firstValue("Cache-Control").orElse(""));
        assertSecurityHeaders(call);
    }

    @Test
    void noListingsNoWebInfNoWritesNoPostToFiles() throws Exception {
        assertEquals(404, send(allowed, "GET", "/WEB-INF/web.xml").statusCode());
        assertEquals(404, send(allowed, "GET", "/WEB-INF/").statusCode());
        assertEquals(404, send(allowed, "GET", "/nosuch.html").statusCode());
        assertEquals(405, send(allowed, "POST", "/index.html").statusCode(), "allowPostAsGet is off");
        assertEquals(405, send(allowed, "PUT", "/evil.html").statusCode(), "read-only");
        assertEquals(405, send(allowed, "DELETE", "/index.html").statusCode(), "read-only");
        assertEquals(200, send(allowed, "GET", "/index.html").statusCode(), "still there");
    }

    /** The files themselves: nothing the CSP would block, no markup built from strings. */
    @Test
    void pageHasNoInlineScriptStyleOrHandlers() throws IOException {
        Path webapp = Path.of("webapp");
        String html = Files.readString(webapp.resolve("index.html"));
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "inline script");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "event handler attribute");
        assertFalse(Pattern.compile("\\sstyle\\s*=|<style", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "inline style");
        String js = Files.readString(webapp.resolve("app.js"));
        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                "eval(", "new Function"}) {
            assertFalse(js.contains(sink), "app.js uses " + sink);
        }
    }
}
