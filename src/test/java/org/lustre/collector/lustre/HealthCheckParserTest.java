package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthCheckParserTest {

    @Test
    void readsThe210SysfsFile() throws Exception {
        HealthCheckParser.HealthCheck h = HealthCheckParser.parse("health_check", Fixtures.hpe("sys/fs/lustre/health_check"));
        assertTrue(h.healthy());
        assertEquals(List.of(), h.unhealthyDevices());
    }

    @Test
    void readsThe214Dumps() throws Exception {
        assertTrue(HealthCheckParser.parse("h",
                Fixtures.params("params-mds-healthy.txt").get("health_check")).healthy());
        HealthCheckParser.HealthCheck es = HealthCheckParser.parse("h",
                Fixtures.params("params-es-6.2.0-r9.txt").get("health_check"));
        assertEquals("NOT HEALTHY", es.status());
        // sysfs and debugfs twin printed together by lctl (2.13-2.16)
        HealthCheckParser.HealthCheck bad = HealthCheckParser.parse("h",
                Fixtures.params("params-unhealthy-host.txt").get("health_check"));
        assertFalse(bad.healthy());
        assertEquals("NOT HEALTHY", bad.status());
        assertEquals(List.of("lustre-OST0012", "lustre-OST0014", "lustre-OST0016"), bad.unhealthyDevices());
    }

    @Test
    void readsLbugAndTheDebugfsTwinAlone() throws Exception {
        assertEquals("LBUG", HealthCheckParser.parse("h", "LBUG\n").status());
        assertEquals(List.of(), HealthCheckParser.parseUnhealthyDevices("d", ""));
        assertEquals(List.of("fs-OST0001"),
                HealthCheckParser.parseUnhealthyDevices("d", "device fs-OST0001 reported unhealthy\n"));
        assertEquals("NOT HEALTHY",
                HealthCheckParser.parse("h", "device fs-OST0001 reported unhealthy\n").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage\n", "HEALTHY\n", "healthy\nNOT HEALTHY\n", "device reported unhealthy\n",
        "not healthy\n"})
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> HealthCheckParser.parse("h", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage\n", "device  reported unhealthy\n", "device a b reported unhealthy\n"})
    void rejectsMalformedTwin(String text) {
        assertThrows(LustreParseException.class, () -> HealthCheckParser.parseUnhealthyDevices("d", text));
    }
}
