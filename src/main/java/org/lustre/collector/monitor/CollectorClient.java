package org.lustre.collector.monitor;

import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * The methods of one collector that the monitor uses, over Apache XML-RPC's client with extensions
 * off and the {@link HttpClient5Transport}. Answers are converted leniently (a number may come as
 * int or double, a missing field is 0 or ""), a trap entry that is not a struct is skipped and
 * counted, an answer of the wrong shape is a {@link CollectorException.Kind#NOT_XMLRPC} failure.
 * Used by one thread at a time.
 */
final class CollectorClient implements TrapFollower.Source {
    private static final Logger LOG = LogManager.getLogger(CollectorClient.class);

    private final String name;
    private final URL url;
    private final XmlRpcClient client;

    /** @param user for HTTP Basic, or null for none */
    CollectorClient(String name, URL url, HttpSession session, long maxAnswerBytes, String user, String password) {
        this.name = name;
        this.url = url;
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(url);
        config.setEnabledForExtensions(false); // no i8, no nil, no serialized Java objects
        config.setContentLengthOptional(false);
        config.setGzipCompressing(false);
        config.setGzipRequesting(false); // httpclient5 negotiates gzip itself
        // Sent preemptively by the transport: Apache httpd would otherwise answer every first request with 401.
        config.setBasicUserName(user);
        config.setBasicPassword(password);
        client = new XmlRpcClient();
        client.setConfig(config);
        URI uri = URI.create(url.toString()); // MonitorOptions made the URL from a URI
        client.setTransportFactory(() -> new HttpClient5Transport(client, session.client(), uri, maxAnswerBytes));
    }

    @Override
    public String name() {
        return name;
    }

    URL url() {
        return url;
    }

    @Override
    public TrapBatch fetch(long cursor, int limit) throws CollectorException {
        Object answer = call("getTrapRecords", (int) Math.min(cursor, Integer.MAX_VALUE), limit);
        Map<?, ?> m = struct(answer, "getTrapRecords");
        List<RemoteTrap> traps = new ArrayList<>();
        int malformed = 0;
        for (Object o : array(m.get("traps"), "getTrapRecords traps")) {
            if (o instanceof Map<?, ?> t && t.get("id") != null) {
                traps.add(new RemoteTrap(str(t, "id"), num(t, "time"), num(t, "eventTime"), (int) num(t, "category"),
                        str(t, "node"), str(t, "fs"), str(t, "message"), (int) Math.max(1, num(t, "count")), str(t, "source")));
            } else {
                malformed++;
            }
        }
        if (!(m.get("cursor") instanceof Number)) {
            throw shape("getTrapRecords answer has no numeric cursor");
        }
        if (malformed > 0) {
            LOG.debug("{}: skipped {} malformed trap entries", name, malformed);
        }
        return new TrapBatch(traps, num(m, "cursor"), num(m, "dropped"));
    }

    @Override
    public CollectorInfo info() throws CollectorException {
        Map<?, ?> m = struct(call("getCollectorInfo"), "getCollectorInfo");
        List<CollectorInfo.SourceInfo> sources = new ArrayList<>();
        Object s = m.get("sources");
        for (Object o : s == null ? List.of() : array(s, "getCollectorInfo sources")) {
            if (o instanceof Map<?, ?> src) {
                sources.add(new CollectorInfo.SourceInfo(str(src, "name"), str(src, "state"), str(src, "message")));
            }
        }
        return new CollectorInfo(str(m, "version"), num(m, "started"), (int) num(m, "maxtraps"), num(m, "trapsReceived"),
                num(m, "trapsStored"), num(m, "trapsDropped"), sources);
    }

    List<String> fileSystems() throws CollectorException {
        return strings(call("getFileSystems"), "getFileSystems");
    }

    FileSystemInfo fileSystemInfo(String fs) throws CollectorException {
        Map<?, ?> m = struct(call("getFileSystemInfo", fs), "getFileSystemInfo");
        Object nr = m.get("notResponding");
        List<String> down = nr == null ? List.of() : strings(nr, "getFileSystemInfo notResponding");
        return new FileSystemInfo(fs, num(m, "nodes"), down, num(m, "kbytesTotal"), num(m, "kbytesFree"));
    }

    private Object call(String method, Object... params) throws CollectorException {
        try {
            return client.execute(method, params);
        } catch (CollectorException e) {
            throw e;
        } catch (XmlRpcException e) {
            // Upstream's own failures (e.g. writing the request): nothing the collector said.
            throw new CollectorException(CollectorException.Kind.NOT_XMLRPC, 0,
                    "answer is not XML-RPC: " + Text.clean(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new CollectorException(CollectorException.Kind.NOT_XMLRPC, 0,
                    "answer is not XML-RPC: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<?, ?> struct(Object o, String what) throws CollectorException {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw shape(what + " answer is not a struct");
    }

    private static List<Object> array(Object o, String what) throws CollectorException {
        if (o instanceof Object[] a) {
            return java.util.Arrays.asList(a);
        }
        if (o instanceof List<?> l) {
            return Collections.unmodifiableList(l);
        }
        throw shape(what + " is not an array");
    }

    private static List<String> strings(Object array, String what) throws CollectorException {
        return array(array, what).stream().map(o -> Text.clean(String.valueOf(o))).toList();
    }

    private static CollectorException shape(String message) {
        return new CollectorException(CollectorException.Kind.NOT_XMLRPC, "unexpected answer: " + message);
    }

    static long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n instanceof Double || n instanceof Float ? Math.round(n.doubleValue()) : n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Math.round(Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : Text.clean(String.valueOf(v));
    }
}
