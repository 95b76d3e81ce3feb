package org.lustre.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lustre.collector.trap.Category;

/** The options alertmanager, alert-min-category and syslog: parsed, validated, errors naming option and source. */
class ForwardOptionsTest {
    @TempDir
    Path dir;

    @Test
    void offByDefaultWarningAsMinimum() throws Exception {
        CollectorConfig c = ConfigLoader.fromValues(Map.of());
        assertEquals(List.of(), c.alertmanagers());
        assertEquals(Category.WARNING, c.alertMinCategory());
        assertNull(c.syslog());
    }

    @Test
    void severalAlertmanagersAndACategory() throws Exception {
        CollectorConfig c = ConfigLoader.fromValues(Map.of("alertmanager", " http://am1:9093 ,https://am2.example.org/am/",
                "alert-min-category", "critical", "syslog", "tcp://logs.example.org:6514"));
        assertEquals(List.of(URI.create("http://am1:9093"), URI.create("https://am2.example.org/am/")), c.alertmanagers());
        assertEquals(Category.CRITICAL, c.alertMinCategory());
        assertEquals(new SyslogAddress("tcp", "logs.example.org", 6514), c.syslog());
        assertEquals(Category.FATAL, ConfigLoader.fromValues(Map.of("alert-min-category", "3")).alertMinCategory());
    }

    @Test
    void syslogSchemesAndIpv6() {
        assertEquals(new SyslogAddress("udp", "127.0.0.1", 514), SyslogAddress.parse("udp://127.0.0.1:514"));
        assertEquals(new SyslogAddress("tls", "::1", 6514), SyslogAddress.parse("TLS://[::1]:6514"));
        assertEquals("tls://[::1]:6514", SyslogAddress.parse("tls://[::1]:6514").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"logs:514", "http://logs:514", "udp://logs", "udp://:514", "tcp://logs:514/x",
            "udp://logs:99999", "tcp://lo gs:1"})
    void badSyslogValuesNameTheOption(String value) {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.fromValues(Map.of("syslog", value))).getMessage();
        assertTrue(m.startsWith("option 'syslog' (command line): bad value '" + value + "'"), m);
    }

    @Test
    void badAlertmanagerUrlsAreAllNamed() {
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.fromValues(
                Map.of("alertmanager", "http://ok:9093,am2:9093,ftp://x/"))).getMessage();
        assertEquals("option 'alertmanager' (command line): not an http:// or https:// URL: 'am2:9093', 'ftp://x/'", m);
    }

    @Test
    void badCategoryNamesTheFileAndLine() throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "[collector]\nport = 9000\nalert-min-category = severe\n");
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                CommandLineOptions.parse(new String[] {"-f", f.toString()}), dir, dir.resolve("absent"))).getMessage();
        assertEquals("option 'alert-min-category' (" + f + ":3): unknown category 'severe' "
                + "(want 0-3 or Info/Warning/Critical/Fatal)", m);
    }
}
