package org.lustre.collector.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The body of {@code POST /api/v2/alerts}: a JSON array of {labels, annotations, startsAt, endsAt}
 * with RFC 3339 times. Written with jackson-core's streaming generator (already a dependency of
 * the monitor's --json output), so escaping is the library's, not ours. Stateless; any thread.
 */
final class AlertJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {
    }

    static byte[] write(List<Alert> alerts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * alerts.size() + 2);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (Alert a : alerts) {
                g.writeStartObject();
                map(g, "labels", a.labels());
                map(g, "annotations", a.annotations());
                g.writeStringField("startsAt", Instant.ofEpochMilli(a.startsMillis()).toString());
                if (a.endsMillis() > 0) {
                    g.writeStringField("endsAt", Instant.ofEpochMilli(a.endsMillis()).toString());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static void map(JsonGenerator g, String name, Map<String, String> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
