package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ConsoleLineParserTest {
    private static final long NOW = Instant.parse("2024-01-05T00:00:00Z").toEpochMilli();

    @Test
    void prefixesAreStrippedAndTimed() {
        ConsoleLineParser.Line d = ConsoleLineParser.parse("[75439.499097] LustreError: x", NOW, ZoneOffset.UTC);
        assertEquals(75_439_499_097L, d.usecSinceBoot());
        assertEquals("LustreError: x", d.message());

        ConsoleLineParser.Line t = ConsoleLineParser.parse("[Fri Oct  6 11:12:25 2023] Lustre: y", NOW, ZoneOffset.UTC);
        assertEquals(Instant.parse("2023-10-06T11:12:25Z").toEpochMilli(), t.wallMillis());
        assertEquals("Lustre: y", t.message());

        // December line read in January: last year, not 11 months ahead.
        ConsoleLineParser.Line s = ConsoleLineParser.parse("Dec 31 23:59:00 mds1 kernel: Lustre: z", NOW, ZoneOffset.UTC);
        assertEquals(Instant.parse("2023-12-31T23:59:00Z").toEpochMilli(), s.wallMillis());
        assertEquals("Lustre: z", s.message());

        ConsoleLineParser.Line r = ConsoleLineParser.parse("2024-01-04T10:00:00.5+02:00 mds1 kernel: Lustre: w", NOW, ZoneOffset.UTC);
        assertEquals(Instant.parse("2024-01-04T08:00:00.5Z").toEpochMilli(), r.wallMillis());

        ConsoleLineParser.Line plain = ConsoleLineParser.parse("Lustre: plain", NOW, ZoneOffset.UTC);
        assertEquals(-1, plain.usecSinceBoot());
        assertEquals(-1, plain.wallMillis());
        assertEquals("Lustre: plain", plain.message());
    }
}
