package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.config.ConfigLoader;

/**
 * The golden end-to-end test: the collector over the real Lustre 2.10.1 tree (hpe-2.10.1), served
 * on a loopback port, called over XML-RPC; its answers to getFileSystems, getFileSystemInfo,
 * getNodeNames, getNodeInfo (every node) and getCollectorInfo, less the fields that vary from run
 * to run ({@link #VARYING}) and with the temporary and fixture paths shown as {@code $TMP} and
 * {@code $LUSTRE_ROOT}, are compared with {@value #GOLDEN}.
 *
 * <p>A change of behaviour shows as a diff of that file. When the change is intended, rewrite it
 * with {@code mvn -o test -Dtest=GoldenApiTest -Dgolden.update=true} and review the diff in git.
 */
class GoldenApiTest {
    static final String GOLDEN = "src/test/resources/golden/hpe-2.10.1-api.json";
    private static final Path TREE = Path.of("src/test/resources/fixtures/lustre/hpe-2.10.1");
    /** Times and the build's version: shown as "(varies)". */
    private static final Set<String> VARYING = Set.of("version", "started", "lastScan", "lastScanMillis", "updated");

    @TempDir
    Path dir;

    @Test
    void answersOverTheReal2101TreeMatchTheGoldenFile() throws Exception {
        Path traps = dir.resolve("traps.log");
        Files.writeString(traps, "");
        Map<String, Object> answers = new LinkedHashMap<>();
        try (EmbeddedServer server = EmbeddedServer.start(ConfigLoader.fromValues(Map.of("port", "0",
                "host", "127.0.0.1", "lustre-root", TREE.toAbsolutePath().toString(), "kmsg", "none",
                "trap-file", traps.toString(), "interval", "60")))) {
            ServerEndToEndTest.await(() -> server.collector().ready(), "the first scan");
            XmlRpcClient client = client(server.port());
            Object[] fileSystems = (Object[]) client.execute("getFileSystems", new Object[0]);
            answers.put("getFileSystems", fileSystems);
            for (Object fs : fileSystems) {
                answers.put("getFileSystemInfo " + fs, client.execute("getFileSystemInfo", new Object[] {fs}));
                answers.put("getNodeNames " + fs, client.execute("getNodeNames", new Object[] {fs}));
            }
            Object[] nodes = (Object[]) client.execute("getNodeNames", new Object[] {""});
            answers.put("getNodeNames (all)", nodes);
            for (Object node : nodes) {
                answers.put("getNodeInfo " + node, client.execute("getNodeInfo", new Object[] {node}));
            }
            answers.put("getCollectorInfo", client.execute("getCollectorInfo", new Object[0]));
        }
        compare(render(answers).replace(dir.toString(), "$TMP").replace(TREE.toAbsolutePath().toString(),
                "$LUSTRE_ROOT"));
    }

    private static XmlRpcClient client(int port) throws IOException {
        XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
        c.setServerURL(new URL("http://127.0.0.1:" + port + "/RPC2"));
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(c);
        return client;
    }

    /** Pretty JSON, struct members sorted by name, varying fields masked: one value a line, for diffs. */
    static String render(Object answers) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, null, answers);
        }
        return out + "\n";
    }

    private static void write(JsonGenerator g, String name, Object v) throws IOException {
        if (name != null && VARYING.contains(name)) {
            g.writeString("(varies)");
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), x));
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Object[] a) {
            g.writeStartArray();
            for (Object x : a) {
                write(g, null, x);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(BigDecimal.valueOf(d).toPlainString()); // 47168369664, not 4.7168369664E10
        } else if (v == null) {
            g.writeNull();
        } else {
            g.writeString(v.getClass() == String.class ? (String) v : v.getClass().getSimpleName() + ":" + v);
        }
    }

    /** Rewrites the golden file when asked, else fails with the first differing lines and how to accept them. */
    private static void compare(String actual) throws IOException {
        Path golden = Path.of(GOLDEN);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            fail(diff(expected, actual) + "\nIf the change is intended: mvn -o test -Dtest=GoldenApiTest "
                    + "-Dgolden.update=true, then review the diff of " + GOLDEN);
        }
    }

    /** Three lines of context, then the differing lines (at most ten pairs) from the first difference on. */
    static String diff(String expected, String actual) {
        List<String> e = expected.lines().toList();
        List<String> a = actual.lines().toList();
        int first = 0;
        while (first < e.size() && first < a.size() && e.get(first).equals(a.get(first))) {
            first++;
        }
        List<String> out = new ArrayList<>();
        out.add("API answers differ from " + GOLDEN + " from line " + (first + 1) + " (expected " + e.size()
                + " lines, got " + a.size() + "):");
        for (int i = Math.max(0, first - 3); i < first; i++) {
            out.add("  " + e.get(i));
        }
        int shown = 0;
        for (int i = first; i < Math.max(e.size(), a.size()) && shown < 10; i++) {
            String x = i < e.size() ? e.get(i) : null;
            String y = i < a.size() ? a.get(i) : null;
            if (x != null && x.equals(y)) {
                continue;
            }
            out.add("- " + (x == null ? "(end)" : x));
            out.add("+ " + (y == null ? "(end)" : y));
            shown++;
        }
        return String.join("\n", out);
    }
}
