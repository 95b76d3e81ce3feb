package org.lustre.collector.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single XML-RPC calls to a collector on loopback, answers read as text (the harness needs a few
 * ints and substrings, not a full XML-RPC client). Any thread.
 */
final class Rpc {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Rpc() {
    }

    /** The request body of a call whose parameters are ints. */
    static byte[] body(String method, int... params) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>").append(method)
                .append("</methodName><params>");
        for (int p : params) {
            b.append("<param><value><int>").append(p).append("</int></value></param>");
        }
        return b.append("</params></methodCall>").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A call with one string parameter (names are plain: no escaping needed). */
    static byte[] body(String method, String param) {
        return ("<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params><param><value>"
                + "<string>" + param + "</string></value></param></params></methodCall>").getBytes(StandardCharsets.UTF_8);
    }

    /** system.multicall of one method with one string parameter, for each of {@code params}. */
    static byte[] multicall(String method, List<String> params) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>system.multicall"
                + "</methodName><params><param><value><array><data>");
        for (String p : params) {
            b.append("<value><struct><member><name>methodName</name><value><string>").append(method)
                    .append("</string></value></member><member><name>params</name><value><array><data><value><string>")
                    .append(p).append("</string></value></data></array></value></member></struct></value>");
        }
        return b.append("</data></array></value></param></params></methodCall>").toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    static String call(int port, String method, int... params) throws IOException, InterruptedException {
        return post(port, method, body(method, params));
    }

    /** Posts a request body; the answer as text (a fault is an answer too). */
    static String post(int port, String what, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/RPC2"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(what + ": HTTP " + r.statusCode());
        }
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The plain string values of an answer ({@code <value>text</value>}), in order. */
    static List<String> strings(String xml) {
        Matcher m = Pattern.compile("<value>(?:<string>)?([^<]+)(?:</string>)?</value>").matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static byte[] callBytes(int port, String method, int... params) throws IOException, InterruptedException {
        return call(port, method, params).getBytes(StandardCharsets.UTF_8);
    }

    /** An int member of a struct answer ({@code <name>key</name><value><int>N</int>}), or null. */
    static Long member(String xml, String key) {
        Matcher m = Pattern.compile("<name>" + Pattern.quote(key) + "</name>\\s*<value>\\s*<(?:int|i4)>(-?\\d+)<")
                .matcher(xml);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    static boolean isFault(String xml) {
        return xml.contains("<fault>");
    }

    /** The last int of an answer: getTraps' timestamp. */
    static long lastInt(String xml) {
        Matcher m = Pattern.compile("<(?:int|i4)>(-?\\d+)</(?:int|i4)>").matcher(xml);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }
}
