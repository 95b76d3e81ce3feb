package org.lustre.collector.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.zip.GZIPOutputStream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A stand-in collector for tests: the JDK's HttpServer on 127.0.0.1 answering the XML-RPC methods
 * the monitor uses from a small in-memory store, or a canned (possibly hostile) answer. Records
 * the remote port of every exchange (one port = one TCP connection) and the Authorization headers.
 * Test thread configures it; the server's threads answer.
 */
final class StubCollector implements AutoCloseable {
    private static final Pattern METHOD = Pattern.compile("<methodName>([^<]*)</methodName>");
    private static final Pattern PARAM = Pattern.compile("<param>\\s*<value>(.*?)</value>\\s*</param>", Pattern.DOTALL);
    private static final Pattern INT = Pattern.compile("<(?:i4|int)>\\s*(-?\\d+)\\s*</(?:i4|int)>");
    private static final Pattern STRING = Pattern.compile("(?s)(?:<string>)?(.*?)(?:</string>)?");

    /** A canned HTTP answer; body or streamed bytes. */
    record Canned(int status, String contentType, byte[] body, long streamBytes, long delayMillis) {
        static Canned xml(String text) {
            return new Canned(200, "text/xml", text.getBytes(StandardCharsets.UTF_8), 0, 0);
        }

        static Canned status(int code) {
            return new Canned(code, "text/html", ("<html><body>" + code + "</body></html>").getBytes(StandardCharsets.UTF_8), 0, 0);
        }
    }

    private HttpServer server;
    private ExecutorService executor;
    private int port;

    private final List<Map<String, Object>> store = new CopyOnWriteArrayList<>();
    private long nextSeq = 1;
    volatile int started = 1_000;
    volatile int maxtraps = 250;
    volatile int dropOnce;
    final Map<String, Map<String, Object>> fileSystems = new ConcurrentHashMap<>();
    /** Answers instead of the store when it returns non-null: (method, params) -> canned. */
    volatile BiFunction<String, List<Object>, Canned> override;

    final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong streamedBytes = new AtomicLong();
    volatile boolean streamFinished;

    private SSLContext tls;
    /** Gzip every answer when the client accepts it. */
    volatile boolean gzipAnswers;
    final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
    final List<Integer> contentLengthHeaders = new CopyOnWriteArrayList<>();

    static StubCollector start() throws IOException {
        StubCollector s = new StubCollector();
        s.bind(0);
        return s;
    }

    /** Over TLS with the test certificate for 127.0.0.1 (src/test/resources/monitor/stub-server.p12). */
    static StubCollector startHttps() throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = StubCollector.class.getResourceAsStream("/monitor/stub-server.p12")) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        StubCollector s = new StubCollector();
        s.tls = ctx;
        s.bind(0);
        return s;
    }

    private void bind(int wanted) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(address, 16);
        }
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stub-collector");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    String url() {
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + "/RPC2";
    }

    int port() {
        return port;
    }

    /** Stops answering: closes the listener and every connection. */
    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Like a restarted collector: empty store, numbering from 1 again, a new start time, same port. */
    void restart(int newStarted) throws IOException {
        stop();
        synchronized (this) {
            store.clear();
            nextSeq = 1;
        }
        started = newStarted;
        bind(port);
    }

    @Override
    public void close() {
        stop();
    }

    synchronized void addTrap(String id, long time, int category, String fs, String node, String message) {
        addTrap(id, time, time, category, fs, node, message, 1);
    }

    synchronized void addTrap(String id, long time, long eventTime, int category, String fs, String node, String message,
                              int count) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("seq", (int) nextSeq++);
        t.put("id", id);
        t.put("time", (int) time);
        t.put("eventTime", (int) eventTime);
        t.put("category", category);
        t.put("node", node);
        t.put("fs", fs);
        t.put("message", message);
        t.put("count", count);
        t.put("source", "stub");
        store.add(t);
    }

    void addFileSystem(String name, int nodes, List<String> notResponding, double kbytesTotal, int kbytesFree) {
        Map<String, Object> fs = new LinkedHashMap<>();
        fs.put("name", name);
        fs.put("traps", 0);
        fs.put("nodes", nodes);
        fs.put("notResponding", new ArrayList<Object>(notResponding));
        fs.put("kbytesTotal", kbytesTotal); // a double on purpose: numbers may arrive as either
        fs.put("kbytesFree", kbytesFree);
        fileSystems.put(name, fs);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            remotePorts.add(ex.getRemoteAddress().getPort());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
            acceptEncodings.add(accept == null ? "" : accept);
            List<String> lengths = ex.getRequestHeaders().get("Content-Length");
            contentLengthHeaders.add(lengths == null ? 0 : lengths.size());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.incrementAndGet();
            Matcher m = METHOD.matcher(body);
            String method = m.find() ? m.group(1) : "";
            methods.add(method);
            List<Object> params = new ArrayList<>();
            Matcher p = PARAM.matcher(body);
            while (p.find()) {
                String v = p.group(1);
                Matcher i = INT.matcher(v);
                if (i.matches()) {
                    params.add(Integer.parseInt(i.group(1)));
                } else {
                    Matcher s = STRING.matcher(v);
                    params.add(s.matches() ? unescape(s.group(1)) : v);
                }
            }
            BiFunction<String, List<Object>, Canned> o = override;
            Canned canned = o == null ? null : o.apply(method, params);
            if (canned == null) {
                canned = Canned.xml(answer(method, params));
            }
            send(ex, canned);
        } catch (IOException | RuntimeException e) {
            // The client went away (e.g. it aborted a huge answer): nothing to do.
        }
    }

    private void send(HttpExchange ex, Canned c) throws IOException {
        if (c.delayMillis() > 0) {
            try {
                Thread.sleep(c.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        ex.getResponseHeaders().set("Content-Type", c.contentType());
        if (c.streamBytes() > 0) {
            streamHuge(ex, c.streamBytes());
            return;
        }
        byte[] body = c.body();
        String accept = ex.getRequestHeaders().getFirst("Accept-Encoding");
        if (gzipAnswers && accept != null && accept.contains("gzip") && body.length > 0) {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
                gz.write(body);
            }
            body = z.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.sendResponseHeaders(c.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private void streamHuge(HttpExchange ex, long total) throws IOException {
        ex.sendResponseHeaders(200, 0); // chunked
        byte[] head = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "</string></value></param></params></methodResponse>".getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (OutputStream os = ex.getResponseBody()) {
            os.write(head);
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(chunk.length, total - sent);
                os.write(chunk, 0, n);
                sent += n;
                streamedBytes.set(sent);
            }
            os.write(tail);
            streamFinished = true;
        }
    }

    private synchronized String answer(String method, List<Object> params) {
        return switch (method) {
            case "getTrapRecords" -> records(params);
            case "getCollectorInfo" -> response(Map.of("version", "stub", "started", started, "maxtraps", maxtraps,
                    "trapsReceived", store.size(), "trapsStored", store.size(), "trapsDropped", 0,
                    "sources", List.of(Map.of("name", "trap-file", "path", "/x", "state", "ok", "message", ""))));
            case "getFileSystems" -> response(new ArrayList<Object>(new java.util.TreeSet<>(fileSystems.keySet())));
            case "getFileSystemInfo" -> {
                Map<String, Object> fs = fileSystems.get(String.valueOf(params.isEmpty() ? "" : params.get(0)));
                yield fs == null ? fault(3, "unknown file system") : response(fs);
            }
            default -> fault(-32601, "unknown method " + method);
        };
    }

    private String records(List<Object> params) {
        if (params.size() != 2 || !(params.get(0) instanceof Integer) || !(params.get(1) instanceof Integer)) {
            return fault(-32602, "getTrapRecords wants (int cursor, int limit)");
        }
        int cursor = (Integer) params.get(0);
        int limit = Math.min((Integer) params.get(1), maxtraps);
        List<Object> out = new ArrayList<>();
        int last = cursor;
        for (Map<String, Object> t : store) {
            int seq = (Integer) t.get("seq");
            if (seq > cursor && out.size() < limit) {
                Map<String, Object> copy = new LinkedHashMap<>(t);
                copy.remove("seq");
                out.add(copy);
                last = seq;
            }
        }
        int newest = (int) (nextSeq - 1);
        if (out.isEmpty() && cursor > newest) {
            last = newest; // a cursor from before a restart: answer our (smaller) newest
        }
        int dropped = dropOnce;
        dropOnce = 0;
        return response(Map.of("traps", out, "cursor", last, "dropped", dropped));
    }

    static String response(Object value) {
        return "<?xml version=\"1.0\"?><methodResponse><params><param>" + value(value)
                + "</param></params></methodResponse>";
    }

    static String fault(int code, String message) {
        return "<?xml version=\"1.0\"?><methodResponse><fault>"
                + value(Map.of("faultCode", code, "faultString", message)) + "</fault></methodResponse>";
    }

    static String value(Object v) {
        StringBuilder b = new StringBuilder("<value>");
        if (v instanceof Integer i) {
            b.append("<int>").append(i).append("</int>");
        } else if (v instanceof Double d) {
            b.append("<double>").append(d).append("</double>");
        } else if (v instanceof Boolean bo) {
            b.append("<boolean>").append(bo ? 1 : 0).append("</boolean>");
        } else if (v instanceof byte[] bytes) {
            b.append("<base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64>");
        } else if (v instanceof Map<?, ?> m) {
            b.append("<struct>");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append("<member><name>").append(escape(String.valueOf(e.getKey()))).append("</name>")
                        .append(value(e.getValue())).append("</member>");
            }
            b.append("</struct>");
        } else if (v instanceof List<?> l) {
            b.append("<array><data>");
            for (Object o : l) {
                b.append(value(o));
            }
            b.append("</data></array>");
        } else {
            b.append("<string>").append(escape(String.valueOf(v))).append("</string>");
        }
        return b.append("</value>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
