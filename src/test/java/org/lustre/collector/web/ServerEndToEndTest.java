package org.lustre.collector.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.rpc.Answer;
import org.lustre.collector.rpc.Faults;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

/**
 * The embedded server on an ephemeral loopback port, called over real HTTP: every method through
 * Apache XML-RPC's client, raw XML as other languages' clients send it, and hostile requests,
 * each followed by a good call.
 */
class ServerEndToEndTest {
    private static Path dir;
    private static SimulatedTree tree;
    private static EmbeddedServer server;
    private static String url;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("e2e-");
        tree = SimulatedTree.create(dir.resolve("lustre"), 2, 16, "2.15");
        CollectorConfig config = ConfigLoader.fromValues(Map.of("port", "0", "host", "127.0.0.1",
                "lustre-root", tree.root().toString(), "kmsg", "none",
                "trap-file", tree.trapFile().toString(), "interval", "1", "maxtraps", "50"));
        server = EmbeddedServer.start(config);
        url = "http://127.0.0.1:" + server.port() + "/RPC2";
        await(() -> server.collector().ready(), "first scan");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        org.lustre.collector.TempTree.delete(dir);
    }

    @AfterEach
    void stillAnswers() throws Exception {
        // After every test, hostile or not, a good call still works.
        assertTrue(client().execute("getFileSystems", new Object[0]) instanceof Object[]);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static XmlRpcClient client() throws Exception {
        XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
        c.setServerURL(new URL(url));
        c.setEnabledForExtensions(false);
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(c);
        return client;
    }

    private static Object call(String method, Object... args) throws Exception {
        return client().execute(method, args);
    }

    private static int faultOf(String method, Object... args) {
        return assertThrows(XmlRpcException.class, () -> call(method, args)).code;
    }

    private static HttpResponse<byte[]> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void fileSystemsAndNodes() throws Exception {
        Object[] fs = (Object[]) call("getFileSystems");
        assertEquals(tree.fileSystems(), Arrays.stream(fs).map(String::valueOf).toList());
        String first = tree.fileSystems().get(0);
        Object[] nodes = (Object[]) call("getNodeNames", first);
        assertTrue(Arrays.asList(nodes).contains(SimulatedTree.targetName(first, 0)), Arrays.toString(nodes));
        assertTrue(((Object[]) call("getNodeNames", "")).length >= 16);
        assertEquals(Faults.UNKNOWN_FILE_SYSTEM, faultOf("getNodeNames", "nosuchfs"));
    }

    @Test
    void nodeInfo() throws Exception {
        String fs = tree.fileSystems().get(0);
        String name = SimulatedTree.targetName(fs, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) call("getNodeInfo", name);
        assertEquals(name, n.get("name"));
        assertEquals(fs, n.get("fs"));
        assertEquals("OST", n.get("kind"));
        assertEquals(1, n.get("index"));
        assertEquals(Boolean.TRUE, n.get("active"));
        assertEquals("FULL", n.get("state"));
        assertEquals(Boolean.TRUE, n.get("responding"));
        assertTrue((Double) n.get("kbytesTotal") > 0);
        assertTrue(n.get("updated") instanceof Integer);
        assertEquals(tree.nid(fs, 1), n.get("nid"));
        assertEquals(Faults.UNKNOWN_NODE, faultOf("getNodeInfo", "nosuch-OST0000"));
        // a 500,000-character name: the fault names it, cut short, not echoed whole
        String huge = "x".repeat(500_000);
        for (String method : List.of("getNodeInfo", "getFileSystemInfo", "getNodeNames")) {
            XmlRpcException e = assertThrows(XmlRpcException.class, () -> call(method, huge));
            assertTrue(e.getMessage().length() < 200, method + ": " + e.getMessage().length() + " characters");
        }
    }

    @Test
    void trapsFromTheTrapFileThroughGetTrapsAndGetTrapRecords() throws Exception {
        long cursor = server.collector().store().newestSeq();
        Object[] first = (Object[]) call("getTraps", 0);
        int since = (Integer) first[1];
        String fs = tree.fileSystems().get(0);
        String node = SimulatedTree.targetName(fs, 2);
        long now = System.currentTimeMillis() / 1000;
        Files.writeString(tree.trapFile(), "e2e-1\t" + now + "\tCritical\t" + fs + "\t" + node
                + "\tdisk array failed\n", UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        List<Object[]> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 10_000;
        // Other tests' traps may arrive in the same seconds: look for ours among them.
        while (seen.stream().noneMatch(t -> node.equals(t[2])) && System.currentTimeMillis() < deadline) {
            Object[] r = (Object[]) call("getTraps", since);
            for (Object t : (Object[]) r[0]) {
                seen.add((Object[]) t);
            }
            since = (Integer) r[1];
            Thread.sleep(100);
        }
        for (int i = 0; i < 3; i++) { // a few more rounds: the trap must not come twice
            Object[] r = (Object[]) call("getTraps", since);
            for (Object t : (Object[]) r[0]) {
                seen.add((Object[]) t);
            }
            since = (Integer) r[1];
        }
        List<Object[]> ours = seen.stream().filter(t -> node.equals(t[2])).toList();
        assertEquals(1, ours.size());
        assertArrayEquals(new Object[] {"disk array failed", 2, node}, ours.get(0));
        assertTrue((Integer) call("getLastTimestamp") >= now);

        @SuppressWarnings("unchecked")
        Map<String, Object> page = (Map<String, Object>) call("getTrapRecords", (int) cursor, 100);
        Object[] traps = (Object[]) page.get("traps");
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) Arrays.stream(traps)
                .filter(x -> "e2e-1".equals(((Map<?, ?>) x).get("id"))).findFirst().orElseThrow();
        assertEquals(fs, t.get("fs"));
        assertEquals(node, t.get("node"));
        assertEquals(2, t.get("category"));
        assertEquals(1, t.get("count"));
        assertEquals("trapfile", t.get("source"));
        assertEquals((int) now, t.get("eventTime"));
        assertTrue((Integer) page.get("cursor") >= 1);
        assertEquals(0, page.get("dropped"));

        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) call("getFileSystemInfo", fs);
        assertEquals(fs, info.get("name"));
        assertTrue((Integer) info.get("traps") >= 1);
        assertTrue((Integer) ((Map<?, ?>) info.get("trapsByCategory")).get("Critical") >= 1);
        assertEquals(tree.ostCount(fs) + 1, info.get("nodes"), "the OSTs and the MDT");
        assertTrue(info.get("notResponding") instanceof Object[]);
        assertEquals(Faults.UNKNOWN_FILE_SYSTEM, faultOf("getFileSystemInfo", "nosuchfs"));
    }

    /** notResponding is worked out once per snapshot: it must still follow every scan. */
    @Test
    void notRespondingFollowsTheScans() throws Exception {
        String fs = tree.fileSystems().get(1);
        String target = SimulatedTree.targetName(fs, 3);
        java.util.function.Supplier<List<Object>> down = () -> {
            try {
                return List.of((Object[]) ((Map<?, ?>) call("getFileSystemInfo", fs)).get("notResponding"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertFalse(down.get().contains(target));
        assertTrue(tree.ostDown(fs, 3));
        try {
            await(() -> down.get().contains(target), target + " listed as not responding");
        } finally {
            tree.ostUp(fs, 3);
        }
        await(() -> !down.get().contains(target), target + " responding again");
    }

    @Test
    void collectorInfoShowsSources() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) call("getCollectorInfo");
        for (String k : List.of("version", "started", "maxtraps", "trapsReceived", "trapsStored", "trapsCoalesced",
                "trapsDropped", "parseErrors", "lastScan", "lastScanMillis", "sources")) {
            assertNotNull(info.get(k), k);
        }
        assertEquals(50, info.get("maxtraps"));
        Object[] sources = (Object[]) info.get("sources");
        assertEquals(2, sources.length, "trap file and the Lustre tree: kmsg is none");
        assertEquals("trapfile", ((Map<?, ?>) sources[0]).get("name"));
        assertEquals("lustre-tree", ((Map<?, ?>) sources[1]).get("name"));
    }

    @Test
    void storeFedDirectlyHoldsAtMostMaxtraps() throws Exception {
        for (int i = 0; i < 120; i++) {
            server.collector().queue().submit(new TrapEvent("direct-" + i, System.currentTimeMillis(),
                    Category.INFO, "fsx", "fsx-OST" + i, "message " + i + " unlike the others", "test"));
        }
        await(() -> server.collector().store().stats().received() >= 120, "traps stored");
        @SuppressWarnings("unchecked")
        Map<String, Object> page = (Map<String, Object>) call("getTrapRecords", 0, 1000);
        assertTrue(((Object[]) page.get("traps")).length <= 50);
        assertTrue((Integer) page.get("dropped") > 0, "the client learns that traps left the store");
        assertEquals(Faults.BAD_ARGUMENTS, faultOf("getTrapRecords", -1, 10));
        assertEquals(Faults.BAD_ARGUMENTS, faultOf("getTrapRecords", 0, 0));
    }

    @Test
    void systemMethodsListEveryApiMethod() throws Exception {
        List<Object> names = Arrays.asList((Object[]) call("system.listMethods"));
        for (String m : List.of("getFileSystems", "getNodeNames", "getNodeInfo", "getTraps", "getLastTimestamp",
                "getFileSystemInfo", "getCollectorInfo", "getTrapRecords")) {
            assertTrue(names.contains(m), m);
            assertFalse(((String) call("system.methodHelp", m)).isEmpty());
        }
        Object[] sig = (Object[]) ((Object[]) call("system.methodSignature", "getTrapRecords"))[0];
        assertArrayEquals(new Object[] {"struct", "int", "int"}, sig);
    }

    @Test
    void rawXmlAsPythonSendsIt() throws Exception {
        // Python's xmlrpc.client: XML declaration, no type for strings left out, 4-space indent.
        String body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>getTraps</methodName>\n<params>\n"
                + "<param>\n<value><int>0</int></value>\n</param>\n</params>\n</methodCall>\n";
        HttpResponse<byte[]> r = post(body);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
        assertEquals(r.body().length, Integer.parseInt(r.headers().firstValue("Content-Length").orElseThrow()));
        String xml = new String(r.body(), UTF_8);
        assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodResponse><params><param>"
                + "<value><array><data><value><array>"), xml);
        Answer a = Answer.parse(r.body());
        assertTrue(a.ok());
        assertEquals(2, ((Object[]) a.value()).length);
    }

    @Test
    void rawFaultShape() throws Exception {
        HttpResponse<byte[]> r = post(Answer.call("getNodeInfo", "<string>nope</string>"));
        assertEquals(200, r.statusCode());
        String xml = new String(r.body(), UTF_8);
        assertTrue(xml.contains("<fault><value><struct><member><name>faultCode</name><value><i4>2</i4></value>"),
                xml);
        assertFalse(xml.contains("faultCause"));
    }

    @Test
    void protocolFaultsOverHttp() throws Exception {
        assertEquals(Faults.UNKNOWN_METHOD, Answer.parse(post(Answer.call("nope")).body()).faultCode());
        assertEquals(Faults.BAD_ARGUMENTS, Answer.parse(post(Answer.call("getTraps")).body()).faultCode());
        assertEquals(Faults.BAD_ARGUMENTS,
                Answer.parse(post(Answer.call("getTraps", "<string>x</string>")).body()).faultCode());
        assertEquals(Faults.PARSE_ERROR, Answer.parse(post("<methodCall><methodName>getTr").body()).faultCode());
        assertEquals(Faults.PARSE_ERROR, Answer.parse(post("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
                + "\"file:///etc/passwd\">]>" + Answer.call("getNodeInfo", "<string>&e;</string>")).body()).faultCode());
    }

    @Test
    void entityBombAndExternalDtdOverHttp() throws Exception {
        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">");
        for (int i = 1; i <= 9; i++) {
            bomb.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        bomb.append("]>").append(Answer.call("getNodeInfo", "<string>&a9;</string>"));
        assertEquals(Faults.PARSE_ERROR, Answer.parse(post(bomb.toString()).body()).faultCode());

        java.util.concurrent.atomic.AtomicInteger fetched = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer dtd = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        dtd.createContext("/", ex -> {
            fetched.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        dtd.start();
        try {
            String body = "<?xml version=\"1.0\"?><!DOCTYPE methodCall SYSTEM \"http://127.0.0.1:"
                    + dtd.getAddress().getPort() + "/x.dtd\">" + Answer.call("getFileSystems");
            assertEquals(Faults.PARSE_ERROR, Answer.parse(post(body).body()).faultCode());
            assertEquals(0, fetched.get(), "the collector fetched an external DTD");
        } finally {
            dtd.stop(0);
        }
    }

    @Test
    void otherMethodsThanPostAre405() throws Exception {
        for (String method : List.of("GET", "PUT", "DELETE", "OPTIONS")) {
            HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(405, r.statusCode(), method);
            assertEquals("POST", r.headers().firstValue("Allow").orElse(""), method);
            String page = new String(r.body(), UTF_8);
            if (!method.equals("OPTIONS")) {
                assertTrue(page.contains("XML-RPC takes POST only"), page);
            }
            assertFalse(page.contains("Tomcat"), "the error page names no server version: " + page);
        }
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(405, head.statusCode());
    }

    @Test
    void tenMebibyteBodyIs413() throws Exception {
        byte[] big = new byte[10 << 20];
        Arrays.fill(big, (byte) ' ');
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, r.statusCode());
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        byte[] chunk = new byte[64 << 10];
        Arrays.fill(chunk, (byte) ' ');
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chunks.add(chunk);
        }
        // ofInputStream has no known length, so the client sends it chunked.
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.SequenceInputStream(
                        java.util.Collections.enumeration(chunks.stream()
                                .map(b -> (InputStream) new java.io.ByteArrayInputStream(b)).toList()))))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, r.statusCode());
    }

    @Test
    void peerOutsideAllowIs403() throws Exception {
        // allow is 127.0.0.1/32: a client bound to 127.0.0.2 is another peer on the same host.
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            byte[] body = Answer.call("getFileSystems").getBytes(UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.write(body);
            out.flush();
            String answer = new String(readAll(s.getInputStream()), UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            assertFalse(answer.contains("methodResponse"));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
