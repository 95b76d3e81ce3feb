package org.lustre.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an administrator sees from {@code java -jar} when the configuration is wrong: one line, exit 2. */
class MainTest {
    @TempDir
    Path dir;

    private record Outcome(int code, List<String> errLines) {
    }

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Optional::empty);
        return new Outcome(code, err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void unresolvableHostIsExitTwoWithOneLine() {
        // -f names an empty file so that no ~/.lustre-collector/config of the machine interferes.
        Outcome o = run("-f", emptyConfig().toString(), "-h", "no-such-host.invalid", "--allow-root");
        assertEquals(2, o.code());
        assertEquals(List.of("lustre-collector: option 'host' (command line): cannot resolve 'no-such-host.invalid'"
                + " (a name or address of this host; empty = all interfaces)"), o.errLines());
    }

    @Test
    void blankAjpSecretIsExitTwoWithOneLine() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "  \n");
        Outcome o = run("-f", emptyConfig().toString(), "--ajp-port", "8009", "--ajp-secret-file",
                secret.toString(), "--allow-root");
        assertEquals(2, o.code());
        assertEquals(List.of("lustre-collector: option 'ajp-secret-file' (command line): " + secret
                + " holds no secret (empty or blank)"), o.errLines());
    }

    private Path emptyConfig() {
        try {
            return Files.writeString(dir.resolve("empty.ini"), "[collector]\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
