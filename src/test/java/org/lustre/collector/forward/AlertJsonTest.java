package org.lustre.collector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AlertJsonTest {
    @Test
    void theApiV2ShapeWithRfc3339TimesAndEscaping() {
        Alert firing = new Alert(Map.of("alertname", "LustreTrap", "node", "fs0-OST0001"),
                Map.of("summary", "quote \" backslash \\ newline \n tab \t bell \u0007 é"), 1_796_000_000_000L, 0);
        Alert resolved = firing.resolvedAt(1_796_000_060_500L);
        String json = new String(AlertJson.write(List.of(firing, resolved)), StandardCharsets.UTF_8);
        String one = "{\"labels\":{\"alertname\":\"LustreTrap\",\"node\":\"fs0-OST0001\"},"
                + "\"annotations\":{\"summary\":\"quote \\\" backslash \\\\ newline \\n tab \\t bell \\u0007 é\"},"
                + "\"startsAt\":\"2026-11-30T00:53:20Z\"";
        assertEquals("[" + one + "}," + one + ",\"endsAt\":\"2026-11-30T00:54:20.500Z\"}]", json);
    }

    @Test
    void anEmptyBatchIsAnEmptyArray() {
        assertEquals("[]", new String(AlertJson.write(List.of()), StandardCharsets.UTF_8));
    }
}
