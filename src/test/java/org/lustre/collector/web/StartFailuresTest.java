package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.ConfigException;
import org.lustre.collector.config.ConfigLoader;

/** Start-up failures of the collector process: one clear line and the right exit code, never a trace. */
class StartFailuresTest {
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory("start-failures-");
    }

    @AfterEach
    void clean() {
        org.lustre.collector.TempTree.delete(dir);
    }

    @Test
    void aPortInUseIsOneLineAndExitCode1() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            try (ChildCollector c = ChildCollector.start(dir, "--port", Integer.toString(taken.getLocalPort()), "-h",
                    "127.0.0.1", "-r", dir.toString(), "-k", "none", "--allow-root")) {
                assertEquals(1, c.awaitExit());
                String out = c.output();
                List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
                assertEquals(1, lines.size(), out);
                assertTrue(lines.get(0).startsWith("lustre-collector: cannot bind 127.0.0.1:" + taken.getLocalPort()),
                        out);
                assertTrue(lines.get(0).contains("'port'"), out);
            }
        }
    }

    @Test
    void aHostThatDoesNotResolveIsExitCode2NamingTheOption() throws Exception {
        try (ChildCollector c = ChildCollector.start(dir, "--port", "0", "-h", "no-such-host.invalid", "-r",
                dir.toString(), "-k", "none", "--allow-root")) {
            assertEquals(2, c.awaitExit(), c.output());
            String out = c.output();
            assertTrue(out.contains("lustre-collector: option 'host' (command line): cannot resolve "
                    + "'no-such-host.invalid'"), out);
            assertFalse(out.contains("listening"), out);
            assertFalse(out.contains("\tat "), out);
        }
    }

    @Test
    void theEmbeddedServerNeverFallsBackToAllInterfaces() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> EmbeddedServer.start(ConfigLoader.fromValues(
                Map.of("port", "0", "host", "no-such-host.invalid", "lustre-root", dir.toString(), "kmsg", "none"))));
        assertTrue(e.getMessage().contains("'host'"), e.getMessage());
    }
}
