package org.lustre.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path home() throws IOException {
        return Files.createDirectories(dir.resolve("home"));
    }

    private Path userFile(String text) throws IOException {
        Path f = Files.createDirectories(home().resolve(".lustre-collector")).resolve("config");
        Files.writeString(f, text);
        return f;
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private CollectorConfig load(Path system, String... args) throws Exception {
        return ConfigLoader.load(CommandLineOptions.parse(args), home(), system);
    }

    private String error(Path system, String... args) {
        return assertThrows(ConfigException.class, () -> load(system, args)).getMessage();
    }

    @Test
    void defaultsComeFromTheTable() throws Exception {
        CollectorConfig c = load(dir.resolve("absent"));
        assertEquals(8980, c.port());
        assertEquals("localhost", c.host());
        assertEquals(250, c.maxTraps());
        assertEquals(5, c.intervalSeconds());
        assertEquals(Path.of("/"), c.lustreRoot());
        assertNull(c.trapFile());
        assertEquals(Path.of("/dev/kmsg"), c.kmsg());
        assertEquals(List.of("127.0.0.1/32", "::1/128"), c.allow());
        assertEquals(0, c.ajpPort());
        assertFalse(c.daemon());
        assertFalse(c.allowRoot());
        assertEquals("default", c.origins().get(Option.PORT));
    }

    @Test
    void commandLineBeatsUserFileBeatsSystemFile() throws Exception {
        Path system = file("system", "[collector]\nport = 1001\nmaxtraps = 11\ninterval = 7\n");
        userFile("[collector]\nport = 1002\nmaxtraps = 12\n");
        CollectorConfig c = load(system, "--port", "1003");
        assertEquals(1003, c.port());
        assertEquals(12, c.maxTraps());
        assertEquals(7, c.intervalSeconds());
        assertEquals("command line", c.origins().get(Option.PORT));
        assertTrue(c.origins().get(Option.MAXTRAPS).endsWith("config:3"), c.origins().get(Option.MAXTRAPS));
        assertTrue(c.origins().get(Option.INTERVAL).endsWith("system:4"), c.origins().get(Option.INTERVAL));
    }

    @Test
    void namedFileReplacesTheUserFileNotTheSystemFile() throws Exception {
        Path system = file("system", "[collector]\ninterval = 9\n");
        userFile("[collector]\nmaxtraps = 12\n");
        Path named = file("named", "[collector]\nport = 1234\n");
        CollectorConfig c = load(system, "-f", named.toString());
        assertEquals(1234, c.port());
        assertEquals(250, c.maxTraps(), "the user's file is not read when -f names another");
        assertEquals(9, c.intervalSeconds());
    }

    @Test
    void shortAndLongNamesAndFlags() throws Exception {
        CollectorConfig c = load(dir.resolve("absent"), "-p", "0", "-m", "1000", "-i", "1", "-r", "/tmp",
                "-t", "/var/log/traps", "-k", "none", "-a", "10.0.0.0/8, 192.168.1.1", "--allow-root");
        assertEquals(0, c.port());
        assertEquals(1000, c.maxTraps());
        assertEquals(Path.of("/var/log/traps"), c.trapFile());
        assertNull(c.kmsg(), "kmsg none is off");
        assertEquals(List.of("10.0.0.0/8", "192.168.1.1"), c.allow());
        assertTrue(c.allowRoot());
    }

    @Test
    void booleanAndEmptyValuesInFiles() throws Exception {
        Path named = file("named", "[collector]\nallow-root = yes\nhost =\ntrap-file = none\n");
        CollectorConfig c = load(dir.resolve("absent"), "-f", named.toString());
        assertTrue(c.allowRoot());
        assertEquals("", c.host(), "empty host = all interfaces");
        assertNull(c.trapFile());
    }

    @Test
    void badIntegerInFileNamesOptionFileAndLine() throws Exception {
        Path named = file("named", "# comment\n[collector]\n\nport = eighty\n");
        String m = error(dir.resolve("absent"), "-f", named.toString());
        assertEquals("option 'port' (" + named + ":4): bad value 'eighty': not a whole number", m);
    }

    @Test
    void portOutOfRangeOnCommandLine() {
        assertEquals("option 'port' (command line): bad value '70000': out of range 0-65535",
                error(dir.resolve("absent"), "--port", "70000"));
    }

    @Test
    void maxtrapsZeroRefused() {
        assertTrue(error(dir.resolve("absent"), "-m", "0").startsWith("option 'maxtraps' (command line)"));
    }

    @Test
    void unknownKeyNamesFileAndLine() throws Exception {
        Path system = file("system", "[collector]\nport = 1\nprot = 2\n");
        assertEquals("config file " + system + ":3: unknown option 'prot'", error(system));
    }

    @Test
    void unknownSectionAndKeyOutsideSection() throws Exception {
        Path system = file("system", "[collector]\nport = 1\n[colector]\nhost = x\n");
        assertEquals("config file " + system + ":3: unknown section [colector] (want [collector])", error(system));
        Path global = file("global", "port = 1\n");
        assertEquals("config file " + global + ":1: key 'port' outside the [collector] section", error(global));
    }

    @Test
    void keyGivenTwice() throws Exception {
        Path system = file("system", "[collector]\nport = 1\nport = 2\n");
        assertTrue(error(system).contains("given more than once"));
    }

    @Test
    void badCidrListsEveryBadEntry() {
        String m = error(dir.resolve("absent"), "--allow", "127.0.0.1/32,300.1.1.1/8,::1/128,nonsense");
        assertEquals("option 'allow' (command line): bad value '127.0.0.1/32,300.1.1.1/8,::1/128,nonsense': "
                + "not an address or CIDR block: '300.1.1.1/8', 'nonsense'", m);
    }

    @Test
    void missingNamedFile() {
        assertTrue(error(dir.resolve("absent"), "-f", dir.resolve("nope").toString())
                .startsWith("option 'filename' (command line): no such file"));
    }

    @Test
    void unreadableFileIsAClearError() throws Exception {
        Path system = dir.resolve("is-a-directory");
        Files.createDirectories(system);
        // A directory exists but cannot be read as a file: the error must say so, not crash.
        String m = error(system);
        assertTrue(m.startsWith("config file " + system + ": cannot be read"), m);
    }

    @Test
    void binaryFileIsNotUtf8Text() throws Exception {
        Path system = dir.resolve("binary");
        Files.write(system, new byte[] {'[', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, ']'});
        assertEquals("config file " + system + ": cannot be read: not UTF-8 text", error(system));
    }

    @Test
    void ajpNeedsASecretFile() throws Exception {
        assertEquals("option 'ajp-secret-file' (command line): required when ajp-port is set",
                error(dir.resolve("absent"), "--ajp-port", "8009"));
        Path secret = file("secret", "s3cret\n");
        assertEquals(8009, load(dir.resolve("absent"), "--ajp-port", "8009", "--ajp-secret-file",
                secret.toString()).ajpPort());
    }

    @Test
    void daemonNeedsALogFile() {
        assertTrue(error(dir.resolve("absent"), "-d").startsWith("option 'log-file'"));
    }

    @Test
    void usageErrorsOnTheCommandLine() {
        String m = error(dir.resolve("absent"), "--nope");
        assertTrue(m.contains("--nope") && m.endsWith("(see --help)"), m);
        assertTrue(error(dir.resolve("absent"), "stray").startsWith("unexpected argument 'stray'"));
        assertEquals("option 'port' (command line): needs a value (see --help)", error(dir.resolve("absent"), "--port"));
    }

    @Test
    void filenameIsNotAFileKey() throws Exception {
        Path system = file("system", "[collector]\nfilename = /x\n");
        assertTrue(error(system).endsWith("unknown option 'filename' (only on the command line)"));
    }

    @Test
    void helpListsEveryOption() {
        String help = CommandLineOptions.help();
        for (Option o : Option.values()) {
            assertTrue(help.contains("--" + o.longName()), o.longName());
        }
        assertTrue(help.contains("--demo"));
    }

    // --- refused at load rather than found out at start-up or never (issue 12) ---

    @Test
    void hostThatDoesNotResolveIsRefused() {
        // .invalid never resolves (RFC 6761): binding all interfaces instead would be a silent widening.
        assertEquals("option 'host' (command line): cannot resolve 'no-such-host.invalid'"
                + " (a name or address of this host; empty = all interfaces)",
                error(dir.resolve("absent"), "-h", "no-such-host.invalid"));
    }

    @Test
    void hostInAFileNamesTheFileAndLine() throws Exception {
        Path named = file("named", "[collector]\nhost = no-such-host.invalid\n");
        assertTrue(error(dir.resolve("absent"), "-f", named.toString())
                .startsWith("option 'host' (" + named + ":2): cannot resolve"));
    }

    @Test
    void hostAddressesNamesAndEmptyAreAccepted() throws Exception {
        assertEquals("127.0.0.1", load(dir.resolve("absent"), "-h", "127.0.0.1").host());
        assertEquals("::1", load(dir.resolve("absent"), "-h", "::1").host());
        assertEquals("localhost", load(dir.resolve("absent"), "-h", "localhost").host());
        assertEquals("", load(dir.resolve("absent"), "-h", "").host(), "empty = all interfaces");
    }

    @Test
    void emptyOrBlankAjpSecretIsRefused() throws Exception {
        for (String content : List.of("", " \n\t\n")) {
            Path secret = file("secret", content);
            assertEquals("option 'ajp-secret-file' (command line): " + secret + " holds no secret (empty or blank)",
                    error(dir.resolve("absent"), "--ajp-port", "8009", "--ajp-secret-file", secret.toString()));
        }
    }

    @Test
    void ajpSecretThatIsADirectoryIsRefused() throws Exception {
        Path secretDir = Files.createDirectories(dir.resolve("secret-dir"));
        assertEquals("option 'ajp-secret-file' (command line): " + secretDir + " is a directory",
                error(dir.resolve("absent"), "--ajp-port", "8009", "--ajp-secret-file", secretDir.toString()));
    }

    @Test
    void valuesAreTakenLiterallyWithoutInterpolation() throws Exception {
        Path named = file("named", "[collector]\ntrap-file = ${sys:user.home}/traps\n"
                + "pid-file = ${env:HOME}/pid\nlog-file = ${x}\naccept-host = ${sys:user.name}\n");
        CollectorConfig c = load(dir.resolve("absent"), "-f", named.toString());
        assertEquals(Path.of("${sys:user.home}/traps"), c.trapFile());
        assertEquals(Path.of("${env:HOME}/pid"), c.pidFile());
        assertEquals(Path.of("${x}"), c.logFile());
        assertEquals(List.of("${sys:user.name}"), c.acceptHosts());
    }

    @Test
    void interpolationThatWouldGiveAGoodValueIsStillNotDone() throws Exception {
        // ${sys:...} of a numeric property: expanded it would parse; literal it is a bad port.
        System.setProperty("lustre.collector.test.port", "1234");
        try {
            Path named = file("named", "[collector]\nport = ${sys:lustre.collector.test.port}\n");
            assertEquals("option 'port' (" + named + ":2): bad value '${sys:lustre.collector.test.port}': "
                    + "not a whole number", error(dir.resolve("absent"), "-f", named.toString()));
        } finally {
            System.clearProperty("lustre.collector.test.port");
        }
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() throws Exception {
        Path named = dir.resolve("bom");
        Files.writeString(named, "\uFEFF[collector]\nport = 1234\n");
        CollectorConfig c = load(dir.resolve("absent"), "-f", named.toString());
        assertEquals(1234, c.port());
        assertEquals(named + ":2", c.origins().get(Option.PORT));
    }

    @Test
    void unclosedSectionNamesItsLine() throws Exception {
        Path named = file("named", "# site config\n\n[collector\nport = 1\n");
        assertEquals("config file " + named + ":3: section header '[collector' has no closing ']'",
                error(dir.resolve("absent"), "-f", named.toString()));
    }

    @Test
    void namedFileThatIsADirectorySaysSo() throws Exception {
        Path d = Files.createDirectories(dir.resolve("conf.d"));
        assertEquals("option 'filename' (command line): " + d + " is a directory, not a config file",
                error(dir.resolve("absent"), "-f", d.toString()));
    }

    @Test
    void oversizedConfigFileIsOneLine() throws Exception {
        Path big = dir.resolve("big.ini");
        StringBuilder b = new StringBuilder("[collector]\n");
        String comment = "# " + "x".repeat(1000) + "\n";
        while (b.length() <= (1 << 20)) {
            b.append(comment);
        }
        Files.writeString(big, b);
        String m = error(dir.resolve("absent"), "-f", big.toString());
        assertEquals("config file " + big + ": larger than 1 MiB, not a config file", m);
    }

    @Test
    void configFileJustUnderTheCapIsRead() throws Exception {
        Path f = dir.resolve("large.ini");
        StringBuilder b = new StringBuilder("[collector]\nport = 4321\n");
        String comment = "# " + "x".repeat(1000) + "\n";
        while (b.length() + comment.length() < (1 << 20)) {
            b.append(comment);
        }
        Files.writeString(f, b);
        assertEquals(4321, load(dir.resolve("absent"), "-f", f.toString()).port());
    }

    @Test
    void kmsgOrTrapFileThatIsADirectoryIsRefused() throws Exception {
        Path d = Files.createDirectories(dir.resolve("logs"));
        assertEquals("option 'kmsg' (command line): " + d + " is a directory (want /dev/kmsg or a console log file)",
                error(dir.resolve("absent"), "-k", d.toString()));
        Path named = file("named", "[collector]\ntrap-file = " + d + "\n");
        assertEquals("option 'trap-file' (" + named + ":2): " + d + " is a directory (want a trap file or FIFO)",
                error(dir.resolve("absent"), "-f", named.toString()));
    }

    @Test
    void kmsgOrTrapFileNotThereYetIsAccepted() throws Exception {
        // A trap file may appear later (it is followed like tail -F); only a directory is certainly wrong.
        CollectorConfig c = load(dir.resolve("absent"), "-t", dir.resolve("later").toString(),
                "-k", dir.resolve("kmsg-later").toString());
        assertEquals(dir.resolve("later"), c.trapFile());
    }

    @Test
    void maxtrapsTheHeapCannotHoldIsRefusedNamingTheHeap() throws Exception {
        long heap = 192L << 20; // the packaged -Xmx192m
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                CommandLineOptions.parse(new String[] {"-m", "50000"}), home(), dir.resolve("absent"), heap));
        assertEquals("option 'maxtraps' (command line): 50000 traps need 1563 MiB of heap, this JVM has 192 MiB:"
                + " lower maxtraps to 6144 or raise the heap (java -Xmx1728m)", e.getMessage());
    }

    @Test
    void theSuggestedXmxHoldsItEvenAsTheSerialCollectorReportsIt() throws Exception {
        long serialView = (1728L << 20) * 96 / 100; // maxMemory() leaves a survivor space out: ~3.5% less
        assertEquals(50000, ConfigLoader.load(CommandLineOptions.parse(new String[] {"-m", "50000"}), home(),
                dir.resolve("absent"), serialView).maxTraps());
    }

    @Test
    void maxtrapsAtTheBoundIsAcceptedOneMoreIsNot() throws Exception {
        long heap = 64L << 20;
        int bound = (int) (heap / 2 / (16 * 1024));
        assertEquals(2048, bound);
        assertEquals(bound, ConfigLoader.load(CommandLineOptions.parse(new String[] {"-m", "" + bound}), home(),
                dir.resolve("absent"), heap).maxTraps());
        Path named = file("named", "[collector]\nmaxtraps = " + (bound + 1) + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                CommandLineOptions.parse(new String[] {"-f", named.toString()}), home(), dir.resolve("absent"), heap));
        assertTrue(e.getMessage().startsWith("option 'maxtraps' (" + named + ":2): 2049 traps need"), e.getMessage());
    }

    @Test
    void defaultMaxtrapsFitsATinyHeap() throws Exception {
        assertEquals(250, ConfigLoader.load(CommandLineOptions.parse(new String[0]), home(), dir.resolve("absent"),
                16L << 20).maxTraps());
    }
}
