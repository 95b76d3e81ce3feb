package org.lustre.collector.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.apache.commons.cli.ParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MonitorOptionsTest {
    private static final long NOW_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final long NOW = NOW_MILLIS / 1000;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2h, 7200",
            "30m, 1800",
            "45s, 45",
            "1d, 86400",
            "1h30m, 5400",
            "1w, 604800",
            "PT2H, 7200",
            "pt15m, 900"})
    void relativeSince(String text, long secondsBack) throws Exception {
        assertEquals(NOW - secondsBack, MonitorOptions.parseSince(text, NOW_MILLIS, PARIS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2024-12-31T23:00:00Z, 3600",
            "2024-12-31T23:00:00+00:00, 3600",
            "2024-12-31T23:00:00+01:00, 7200",
            "2024-12-31T23:00, 7200", // local time in Paris = 22:00Z
            "2025-01-01, 3600"}) // midnight in Paris = 2024-12-31T23:00Z
    void absoluteSince(String text, long secondsBack) throws Exception {
        assertEquals(NOW - secondsBack, MonitorOptions.parseSince(text, NOW_MILLIS, PARIS));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "yesterday", "2h and", "h2", "12", "2024-13-01", "P"})
    void badSince(String text) {
        assertThrows(ParseException.class, () -> MonitorOptions.parseSince(text, NOW_MILLIS, ZoneOffset.UTC));
    }

    @Test
    void urlWithoutPathGetsRpc2() throws Exception {
        assertEquals("http://mds1:8980/RPC2", MonitorOptions.url("http://mds1:8980").toString());
        assertEquals("https://proxy/lustre/RPC2", MonitorOptions.url("https://proxy/lustre/RPC2").toString());
        assertThrows(ParseException.class, () -> MonitorOptions.url("http://alice:pw@mds1/RPC2"));
        assertThrows(ParseException.class, () -> MonitorOptions.url("mds1:8980"));
    }

    @Test
    void namesAreHostsUnlessTheyClash() throws Exception {
        assertEquals(java.util.List.of("mds1", "mds2"), MonitorCommand.names(
                MonitorOptions.parse(new String[] {"http://mds1/", "http://mds2/"}, NOW_MILLIS, PARIS, n -> null)));
        assertEquals(java.util.List.of("h:1", "h:2"), MonitorCommand.names(
                MonitorOptions.parse(new String[] {"http://h:1/", "http://h:2/"}, NOW_MILLIS, PARIS, n -> null)));
    }

    @Test
    void namesOfManyCollectorsGrowOnlyWhereTheyClash() throws Exception {
        assertEquals(java.util.List.of("mds1", "h:1", "h:2", "mds2"), MonitorCommand.names(
                MonitorOptions.parse(new String[] {"http://mds1/", "http://h:1/", "http://h:2/", "http://mds2/"},
                        NOW_MILLIS, PARIS, n -> null)));
        assertEquals(java.util.List.of("http://p/a/RPC2", "http://p/b/RPC2", "q"), MonitorCommand.names(
                MonitorOptions.parse(new String[] {"http://p/a/RPC2", "http://p/b/RPC2", "http://q/"},
                        NOW_MILLIS, PARIS, n -> null)));
    }

    @Test
    void anyNumberOfUrls() throws Exception {
        String[] args = new String[12];
        for (int i = 0; i < args.length; i++) {
            args[i] = "http://mds" + i + ":8980/";
        }
        assertEquals(12, MonitorOptions.parse(args, NOW_MILLIS, PARIS, n -> null).urls.size());
        assertThrows(ParseException.class,
                () -> MonitorOptions.parse(new String[] {"status"}, NOW_MILLIS, PARIS, n -> null));
    }

    @Test
    void checkDefaultsToAnHourOfTraps() throws Exception {
        MonitorOptions o = MonitorOptions.parse(new String[] {"check", "http://mds1/"}, NOW_MILLIS, PARIS, n -> null);
        assertEquals(MonitorOptions.Mode.CHECK, o.mode);
        assertEquals(NOW - 3600, o.sinceSeconds);
        assertEquals(2, o.criticalCategory);
    }

    @Test
    void humanSizes() {
        assertEquals("16 MiB", MonitorOptions.formatBytes(16L * 1024 * 1024));
        assertEquals("1.0 TiB", MonitorCommand.kib(1024L * 1024 * 1024));
        assertEquals("512 KiB", MonitorCommand.kib(512));
    }
}
