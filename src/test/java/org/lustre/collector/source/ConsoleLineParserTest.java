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

        // rsyslog on a kernel that prints times: both; the syslog time is the wall time.
        ConsoleLineParser.Line both = ConsoleLineParser.parse(
                "Dec 31 23:59:00 mds1 kernel: [ 8123.000456] LustreError: 11-0: lustre-OST0000-osc: x", NOW, ZoneOffset.UTC);
        assertEquals(Instant.parse("2023-12-31T23:59:00Z").toEpochMilli(), both.wallMillis());
        assertEquals(8_123_000_456L, both.usecSinceBoot());
        assertEquals("LustreError: 11-0: lustre-OST0000-osc: x", both.message());

        assertEquals("LustreError: v", ConsoleLineParser.parse("Dec 31 23:59:00 mds1 kernel:LustreError: v", NOW,
                ZoneOffset.UTC).message());

        // journalctl -o short-iso: the offset without its colon.
        ConsoleLineParser.Line iso = ConsoleLineParser.parse("2024-01-04T10:00:00+0200 mds1 kernel: Lustre: u", NOW,
                ZoneOffset.UTC);
        assertEquals(Instant.parse("2024-01-04T08:00:00Z").toEpochMilli(), iso.wallMillis());
        assertEquals("Lustre: u", iso.message());

        // dmesg -r: the priority first.
        ConsoleLineParser.Line raw = ConsoleLineParser.parse("<3>[75439.499097] LustreError: t", NOW, ZoneOffset.UTC);
        assertEquals(75_439_499_097L, raw.usecSinceBoot());
        assertEquals("LustreError: t", raw.message());
        assertEquals("Lustre: s", ConsoleLineParser.parse("<6>Lustre: s", NOW, ZoneOffset.UTC).message());

        ConsoleLineParser.Line plain = ConsoleLineParser.parse("Lustre: plain", NOW, ZoneOffset.UTC);
        assertEquals(-1, plain.usecSinceBoot());
        assertEquals(-1, plain.wallMillis());
        assertEquals("Lustre: plain", plain.message());
    }
}
