package org.lustre.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(Daemon.CHILD_PROPERTY);
    }

    @Test
    void childCommandKeepsArgumentsAndJvmOptionsAndDropsTheDebugger() {
        List<String> cmd = Daemon.childCommand("/usr/bin/setsid", "/jdk/bin/java",
                List.of("-Xmx256m", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                        "-Dlustre.collector.log-file=/old.log"),
                "/opt/lc.jar", new String[] {"-d", "--port", "0", "--log-file", "x.log"},
                Path.of("/run/lc.pid"), Path.of("/var/log/lc.log"));
        assertEquals(List.of("/usr/bin/setsid", "/jdk/bin/java", "-Xmx256m", "-Dlustre.collector.log-file=/old.log",
                "-Dlustre.collector.daemon-child=/run/lc.pid", "-Dlustre.collector.log-file=/var/log/lc.log",
                "-cp", "/opt/lc.jar", "org.lustre.collector.Main", "-d", "--port", "0", "--log-file", "x.log"), cmd);
    }

    @Test
    void readPidIgnoresAbsentEmptyAndGarbage() throws Exception {
        Path f = dir.resolve("pid");
        assertEquals(OptionalLong.empty(), Daemon.readPid(f));
        Files.writeString(f, "");
        assertEquals(OptionalLong.empty(), Daemon.readPid(f));
        Files.writeString(f, "12ab\n");
        assertEquals(OptionalLong.empty(), Daemon.readPid(f));
        Files.writeString(f, "-3\n");
        assertEquals(OptionalLong.empty(), Daemon.readPid(f));
        Files.writeString(f, " 4242\n");
        assertEquals(OptionalLong.of(4242), Daemon.readPid(f));
    }

    @Test
    void notAChildWritesNothing() {
        assertFalse(Daemon.isChild());
        assertTrue(Daemon.listening());
        Daemon.stopping();
    }

    @Test
    void childWritesItsPidAndRemovesItOnlyWhileItIsItsOwn() throws Exception {
        Path pid = dir.resolve("collector.pid");
        System.setProperty(Daemon.CHILD_PROPERTY, pid.toString());
        assertTrue(Daemon.listening());
        assertEquals(OptionalLong.of(ProcessHandle.current().pid()), Daemon.readPid(pid));
        assertFalse(Files.exists(dir.resolve("collector.pid.tmp")));
        Daemon.stopping();
        assertFalse(Files.exists(pid));

        // Another process's file (a second instance took over) is left alone.
        Files.writeString(pid, "1\n");
        Daemon.stopping();
        assertEquals(OptionalLong.of(1), Daemon.readPid(pid));
    }

    @Test
    void childThatCannotWriteItsPidSaysSo() {
        System.setProperty(Daemon.CHILD_PROPERTY, dir.resolve("missing-dir/collector.pid").toString());
        assertFalse(Daemon.listening());
    }

    @Test
    void tailIsOnlyTheLinesSinceTheLaunch() throws Exception {
        Path log = dir.resolve("log");
        Files.writeString(log, "old 1\nold 2\n", StandardCharsets.UTF_8);
        long start = Files.size(log);
        StringBuilder more = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            more.append("new ").append(i).append('\n');
        }
        Files.writeString(log, more, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        List<String> tail = Daemon.errorLines(log, start);
        assertEquals(20, tail.size());
        assertEquals("new 10", tail.get(0));
        assertEquals("new 29", tail.get(19));
        assertEquals(List.of(), Daemon.errorLines(log, Files.size(log)));
    }

    @Test
    void errorLinesLeaveOutStackTracesAndInfo() throws Exception {
        Path log = dir.resolve("log");
        Files.writeString(log, String.join("\n",
                "2026-01-01T00:00:00.000Z ERROR [main] Connector: Failed to initialize",
                "java.net.BindException: Address already in use",
                "\tat sun.nio.ch.Net.bind0(Native Method)",
                "2026-01-01T00:00:00.100Z INFO  [main] Collector: watching /",
                "lustre-collector: cannot bind 127.0.0.1:1 (in use, or not an address of this host)", ""));
        assertEquals(List.of("2026-01-01T00:00:00.000Z ERROR [main] Connector: Failed to initialize",
                "lustre-collector: cannot bind 127.0.0.1:1 (in use, or not an address of this host)"),
                Daemon.errorLines(log, 0));
    }
}
