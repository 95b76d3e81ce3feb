package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged jar, started as an administrator would, with configurations that must stop it
 * before it binds anything: one line naming the option and its origin, exit code 2, no stack
 * trace. Real JVMs with real heap limits, so the heap check and the file-size cap are the
 * shipped ones, not a test's fake.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigRefusalIT {
    private Path dir;
    private Path home;

    @BeforeAll
    void setUp() throws Exception {
        dir = Artifacts.work("config-refusal");
        // An empty home: no ~/.lustre-collector/config of this machine takes part.
        home = Files.createDirectories(dir.resolve("home"));
    }

    /** Runs the jar with {@code -Xmx} and the arguments; returns its exit code and output lines. */
    private Processes.Result jar(String xmx, String... args) throws Exception {
        return jar(List.of("-Xmx" + xmx), args);
    }

    private Processes.Result jar(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Artifacts.java(), "-Duser.home=" + home));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", Artifacts.jar().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null, 120);
    }

    private static void assertRefused(Processes.Result r, String expectedStart) {
        assertEquals(2, r.exitCode(), r.output());
        List<String> lines = r.output().lines().toList();
        assertEquals(1, lines.size(), "one line:\n" + r.output());
        assertTrue(lines.get(0).startsWith("lustre-collector: " + expectedStart), r.output());
        assertFalse(r.output().contains("Exception") || r.output().contains("\tat "), r.output());
    }

    @Test
    void unresolvableHost() throws Exception {
        assertRefused(jar("64m", "--kmsg", "none", "-h", "no-such-host.invalid"),
                "option 'host' (command line): cannot resolve 'no-such-host.invalid'");
    }

    @Test
    void blankAjpSecret() throws Exception {
        Path secret = Files.writeString(dir.resolve("blank-secret"), " \n");
        assertRefused(jar("64m", "--kmsg", "none", "--ajp-port", "8009", "--ajp-secret-file", secret.toString()),
                "option 'ajp-secret-file' (command line): " + secret + " holds no secret");
    }

    @Test
    void fiftyMegabyteIniInASmallHeap() throws Exception {
        Path big = dir.resolve("big.ini");
        byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write("[collector]\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 50 * 1024; i++) {
                out.write(line);
            }
        }
        assertRefused(jar("32m", "-f", big.toString()), "config file " + big + ": larger than 1 MiB");
    }

    @Test
    void maxtrapsTheShippedHeapCannotHold() throws Exception {
        Processes.Result r = jar("192m", "--kmsg", "none", "-m", "50000");
        assertRefused(r, "option 'maxtraps' (command line): 50000 traps need 1563 MiB of heap, this JVM has ");
        assertTrue(r.output().contains("raise the heap (java -Xmx1728m)"), r.output());
        // The suggested -Xmx is enough: the check after it (daemon mode without a log file) is the one that stops it.
        assertRefused(jar("1728m", "--kmsg", "none", "-m", "50000", "-d"), "option 'log-file'");
    }

    @Test
    void directoriesWhereFilesAreWanted() throws Exception {
        Path d = Files.createDirectories(dir.resolve("a-directory"));
        assertRefused(jar("64m", "-f", d.toString()), "option 'filename' (command line): " + d + " is a directory");
        assertRefused(jar("64m", "-k", d.toString()), "option 'kmsg' (command line): " + d + " is a directory");
        assertRefused(jar("64m", "--kmsg", "none", "-t", d.toString()),
                "option 'trap-file' (command line): " + d + " is a directory");
    }

    @Test
    void byteOrderMarkIsReadAndUnclosedSectionNamesItsLine() throws Exception {
        // A BOM file whose second line is wrong: the error names line 2, so the first one was read.
        Path bom = dir.resolve("bom.ini");
        Files.writeString(bom, "\uFEFF[collector]\nport = 70000\n");
        assertRefused(jar("64m", "-f", bom.toString()), "option 'port' (" + bom + ":2): bad value '70000'");
        Path unclosed = Files.writeString(dir.resolve("unclosed.ini"), "# x\n[collector\nport = 1\n");
        assertRefused(jar("64m", "-f", unclosed.toString()), "config file " + unclosed + ":2: section header");
    }

    @Test
    void valuesAreNotInterpolated() throws Exception {
        Path f = Files.writeString(dir.resolve("interpolated.ini"), "[collector]\nport = ${sys:it.port}\n");
        Processes.Result r = jar(List.of("-Xmx64m", "-Dit.port=0"), "-f", f.toString());
        assertRefused(r, "option 'port' (" + f + ":2): bad value '${sys:it.port}'");
    }
}
