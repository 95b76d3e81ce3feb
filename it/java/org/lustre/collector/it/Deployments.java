package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * What the deployment tests share: the files that ship (tomcat/, conf/) rendered with test ports
 * and paths, a simulated Lustre tree for the collector to watch, and clients that ask it
 * (XML-RPC, or raw HTTP from a chosen loopback address to play a disallowed peer).
 */
public final class Deployments {
    /** The methods every collector answers; a new one must get a check in the ITs. */
    public static final List<String> METHODS = List.of("getFileSystems", "getNodeNames", "getNodeInfo", "getTraps",
            "getLastTimestamp", "getFileSystemInfo", "getCollectorInfo", "getTrapRecords", "getTargetStates",
            "system.listMethods",
            "system.methodHelp", "system.methodSignature", "system.multicall");
    public static final String TRAP_MESSAGE = "it: disk on fire";
    public static final String TRAP_FS = "fs00";
    public static final String TRAP_NODE = "fs00-OST0001";

    private Deployments() {
    }

    /** A file of the repository as it ships (tomcat/..., conf/...). */
    public static String shipped(String relative) throws IOException {
        return Files.readString(Artifacts.basedir().resolve(relative), StandardCharsets.UTF_8);
    }

    /**
     * Replaces the one occurrence of {@code what}: when a shipped file changes so that it is no
     * longer there (or is there twice), the test says so instead of testing something else.
     */
    public static String replaceOnce(String text, String what, String with) {
        int first = text.indexOf(what);
        if (first < 0 || text.indexOf(what, first + 1) >= 0) {
            throw new AssertionError("expected exactly one '" + what + "' in the shipped file:\n" + text);
        }
        return text.substring(0, first) + with + text.substring(first + what.length());
    }

    /** A simulated MDS (2 file systems, 4 OSTs) with one Critical trap in its trap file. */
    public static Path lustreTree(Path dir) throws Exception {
        jar(List.of("simulate", "-F", "2", "-N", "4", dir.toString()));
        jar(List.of("simulate", "--trap", "Critical:" + TRAP_FS + ":" + TRAP_NODE + ":" + TRAP_MESSAGE,
                dir.toString()));
        return dir;
    }

    private static void jar(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString()));
        cmd.addAll(args);
        Processes.Result r = Processes.run(cmd, null, 60);
        assertEquals(0, r.exitCode(), r.output());
    }

    /** The collector's ini file over the simulated tree; extra lines as "key = value". */
    public static Path collectorConfig(Path file, Path tree, String allow, String... extra) throws IOException {
        StringBuilder b = new StringBuilder("[collector]\n")
                .append("lustre-root = ").append(tree).append('\n')
                .append("trap-file = ").append(tree.resolve("traps.log")).append('\n')
                .append("kmsg = ").append(tree.resolve("kmsg")).append('\n')
                .append("interval = 1\n")
                .append("allow = ").append(allow).append('\n');
        for (String e : extra) {
            b.append(e).append('\n');
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        return file;
    }

    public static XmlRpcClient client(String url, String user, String password) throws IOException {
        XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
        c.setServerURL(new URL(url));
        c.setEnabledForExtensions(false);
        c.setConnectionTimeout(10_000);
        c.setReplyTimeout(30_000);
        if (user != null) {
            c.setBasicUserName(user);
            c.setBasicPassword(password);
        }
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(c);
        return client;
    }

    /** Waits (60 s at most) until the collector at {@code url} has scanned and holds the test trap. */
    public static void awaitReady(XmlRpcClient client) throws InterruptedException {
        Processes.await(() -> {
            try {
                Object[] answer = (Object[]) client.execute("getTraps", new Object[] {0});
                return answer.length == 2 && String.valueOf(List.of((Object[]) answer[0]).stream()
                        .map(t -> List.of((Object[]) t)).toList()).contains(TRAP_MESSAGE);
            } catch (XmlRpcException | RuntimeException e) {
                return false;
            }
        }, 60, "the collector to answer with the test trap");
    }

    /**
     * Calls every method of {@link #METHODS} with meaningful arguments and checks each answer's
     * shape, and that system.listMethods lists exactly these. Returns the answers by method.
     */
    public static Map<String, Object> callEveryMethod(XmlRpcClient c) throws XmlRpcException {
        Map<String, Object> answers = new java.util.LinkedHashMap<>();
        Object[] listed = (Object[]) c.execute("system.listMethods", new Object[0]);
        assertEquals(new java.util.TreeSet<>(METHODS), new java.util.TreeSet<>(
                java.util.Arrays.stream(listed).map(String::valueOf).toList()), "system.listMethods");
        answers.put("system.listMethods", listed);
        Object[] fs = (Object[]) c.execute("getFileSystems", new Object[0]);
        check(fs.length == 2 && List.of(fs).contains(TRAP_FS), "getFileSystems", fs);
        answers.put("getFileSystems", fs);
        Object[] nodes = (Object[]) c.execute("getNodeNames", new Object[] {TRAP_FS});
        check(List.of(nodes).contains(TRAP_NODE), "getNodeNames", nodes);
        answers.put("getNodeNames", nodes);
        Map<?, ?> node = (Map<?, ?>) c.execute("getNodeInfo", new Object[] {TRAP_NODE});
        check(TRAP_NODE.equals(node.get("name")) && TRAP_FS.equals(node.get("fs")), "getNodeInfo", node);
        answers.put("getNodeInfo", node);
        Object[] traps = (Object[]) c.execute("getTraps", new Object[] {0});
        check(traps.length == 2 && traps[1] instanceof Integer && String.valueOf(
                List.of((Object[]) traps[0]).stream().map(t -> List.of((Object[]) t)).toList())
                .contains(TRAP_MESSAGE), "getTraps", traps);
        answers.put("getTraps", traps);
        Object last = c.execute("getLastTimestamp", new Object[0]);
        check(last instanceof Integer i && i > 0, "getLastTimestamp", last);
        answers.put("getLastTimestamp", last);
        Map<?, ?> fsInfo = (Map<?, ?>) c.execute("getFileSystemInfo", new Object[] {TRAP_FS});
        check(TRAP_FS.equals(fsInfo.get("name")), "getFileSystemInfo", fsInfo);
        answers.put("getFileSystemInfo", fsInfo);
        Map<?, ?> info = (Map<?, ?>) c.execute("getCollectorInfo", new Object[0]);
        check(System.getProperty("project.version", "").equals(info.get("version")), "getCollectorInfo", info);
        answers.put("getCollectorInfo", info);
        Map<?, ?> records = (Map<?, ?>) c.execute("getTrapRecords", new Object[] {0, 10});
        check(String.valueOf(List.of((Object[]) records.get("traps")).stream().map(t -> (Map<?, ?>) t)
                .map(t -> t.get("message")).toList()).contains(TRAP_MESSAGE), "getTrapRecords", records);
        answers.put("getTrapRecords", records);
        Map<?, ?> states = (Map<?, ?>) c.execute("getTargetStates", new Object[] {TRAP_FS, 0});
        check(TRAP_FS.equals(states.get("name")) && states.get("version") instanceof Integer
                && java.util.Arrays.stream((Object[]) states.get("kinds")).map(k -> (Map<?, ?>) k)
                        .anyMatch(k -> "OST".equals(k.get("kind")) && ((String) k.get("codes")).matches("[RDIFHU-]+")),
                "getTargetStates", states);
        answers.put("getTargetStates", states);
        Object help = c.execute("system.methodHelp", new Object[] {"getTraps"});
        check(help instanceof String s && !s.isBlank(), "system.methodHelp", help);
        answers.put("system.methodHelp", help);
        Object signature = c.execute("system.methodSignature", new Object[] {"getTraps"});
        check(signature instanceof Object[] a && a.length > 0, "system.methodSignature", signature);
        answers.put("system.methodSignature", signature);
        Object[] multi = (Object[]) c.execute("system.multicall", new Object[] {new Object[] {
            Map.of("methodName", "getFileSystemInfo", "params", new Object[] {TRAP_FS}),
            Map.of("methodName", "getFileSystemInfo", "params", new Object[] {"no-such-fs"})}});
        check(multi.length == 2 && multi[0] instanceof Object[] one && one.length == 1
                && one[0] instanceof Map<?, ?> first && TRAP_FS.equals(first.get("name"))
                && multi[1] instanceof Map<?, ?> fault && Integer.valueOf(3).equals(fault.get("faultCode")),
                "system.multicall", multi);
        answers.put("system.multicall", multi);
        assertEquals(new java.util.TreeSet<>(METHODS), new java.util.TreeSet<>(answers.keySet()));
        return answers;
    }

    private static void check(boolean ok, String method, Object answer) {
        if (!ok) {
            throw new AssertionError(method + " answered " + (answer instanceof Object[] a
                    ? java.util.Arrays.deepToString(a) : String.valueOf(answer)));
        }
    }

    /** An HTTP status and body. */
    public record HttpAnswer(int status, String headers, String body) {
    }

    /**
     * One HTTP/1.1 POST of a getFileSystems call from the loopback address {@code from} (any of
     * 127.0.0.0/8 is this host), to play a peer that the allow list admits or not.
     */
    public static HttpAnswer postFrom(String from, int port, String path, String authorization) throws IOException {
        byte[] body = "<?xml version=\"1.0\"?><methodCall><methodName>getFileSystems</methodName></methodCall>"
                .getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(30_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String headers = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = headers.split("\r\n", 2)[0].split(" ");
            if (statusLine.length < 2) {
                throw new IOException("no HTTP answer: '" + text + "'");
            }
            return new HttpAnswer(Integer.parseInt(statusLine[1]), headers, rest);
        }
    }

    public static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
