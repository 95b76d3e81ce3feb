package org.lustre.collector.rpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AnswerSizeTest {

    private final XmlRpcEndpoint endpoint = new XmlRpcEndpoint(new MethodTable(List.of()));

    @Test
    void theEstimateBoundsTheWrittenAnswer() throws Exception {
        String[] texts = {"", "plain", "&&&&", "<>\"'", "\r\n\t", "\u00e9\u00fc", "\u20ac\u4e2d", "\uD83D\uDCBE",
            "a&b<c>d\"e'f\rg \u00e9 \u4e2d \uD83D\uDCBE".repeat(50)};
        for (String t : texts) {
            Map<String, Object> struct = new LinkedHashMap<>();
            struct.put("message", t);
            struct.put("count", 7);
            struct.put("flag", true);
            struct.put("nodes", new Object[] {t, t});
            Object[] result = {t, 1, struct, new Object[0], 2.5};
            int written = endpoint.answer(result).length;
            long estimate = AnswerSize.estimate(result, Long.MAX_VALUE);
            assertTrue(estimate >= written, "estimate " + estimate + " < written " + written + " for " + t);
            assertTrue(estimate <= 6L * written + 400, "estimate " + estimate + " far above " + written);
        }
    }

    @Test
    void countingStopsOncePastTheLimit() {
        Object[] big = new Object[100_000];
        java.util.Arrays.fill(big, "x".repeat(100));
        long n = AnswerSize.estimate(big, 10_000);
        assertTrue(n > 10_000 && n < 20_000, "stopped at " + n);
    }
}
