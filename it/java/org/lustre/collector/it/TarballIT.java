package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.xmlrpc.client.XmlRpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tarball for systems without rpm or dpkg: packaging/build-packages.sh builds
 * {@code lustre-collector-<version>.tar.gz}; its {@code install.sh PREFIX} installs the files
 * under a temporary prefix, where the installed init script starts the installed jar with the
 * installed config, which answers XML-RPC. User creation (root, {@code --create-user}) only on CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TarballIT {
    private static final String NAME = "lustre-collector";
    private static final Set<String> INSTALLED = new TreeSet<>(List.of(
            "etc/init.d/lustre-collector",
            "etc/lustre-collector/config",
            "usr/lib/systemd/system/lustre-collector.service",
            "usr/share/doc/lustre-collector/README.md",
            "usr/share/lustre-collector/lustre-collector.jar",
            "usr/share/lustre-collector/lustre-collector.war",
            "usr/share/lustre-collector/tomcat/lustre-collector-httpd.conf",
            "usr/share/lustre-collector/tomcat/lustre-collector.xml",
            "usr/share/lustre-collector/tomcat/server-connectors.xml"));

    private final Processes processes = new Processes();
    private Path work;
    private Path tarball;
    private Path unpacked;
    private String version;

    @BeforeAll
    void build() throws Exception {
        version = System.getProperty("project.version");
        work = Artifacts.work("tarball");
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", Artifacts.basedir().resolve(
                "packaging/build-packages.sh").toString(), work.toString())).directory(Artifacts.basedir().toFile());
        pb.environment().put("SKIP_MVN", "1");
        pb.environment().put("FORMATS", "tar");
        pb.environment().put("PATH", Path.of(Artifacts.java()).getParent() + ":" + System.getenv("PATH"));
        Processes.Result r = Processes.run(pb, 300);
        assertEquals(0, r.exitCode(), r.output());
        tarball = work.resolve(NAME + "-" + version + ".tar.gz");
        assertTrue(Files.isRegularFile(tarball), r.output());
        unpacked = Files.createDirectories(work.resolve("unpacked"));
        ok(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()));
    }

    @AfterEach
    void stopAll() {
        processes.close();
    }

    private static String ok(List<String> cmd) throws Exception {
        Processes.Result r = Processes.run(cmd, null, 120);
        assertEquals(0, r.exitCode(), cmd + ": " + r.output());
        return r.output();
    }

    private Path installScript() {
        return unpacked.resolve(NAME + "-" + version).resolve("install.sh");
    }

    private Processes.Result install(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", installScript().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null, 120);
    }

    private static Set<String> filesUnder(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void tarballHoldsTheJarWarConfTomcatAndInstallScript() throws Exception {
        String listing = ok(List.of("tar", "-tzvf", tarball.toString()));
        String top = NAME + "-" + version + "/";
        Set<String> files = listing.lines().filter(l -> l.startsWith("-"))
                .map(l -> l.substring(l.indexOf(top) + top.length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("README.md", "install.sh", "lustre-collector.jar", "lustre-collector.war",
                "conf/config", "conf/lustre-collector.init", "conf/lustre-collector.service",
                "tomcat/lustre-collector-httpd.conf", "tomcat/lustre-collector.xml", "tomcat/server-connectors.xml")),
                files, listing);
        assertTrue(listing.lines().filter(l -> l.endsWith("/install.sh")).allMatch(l -> l.startsWith("-rwxr-xr-x")),
                listing);
        assertTrue(listing.lines().allMatch(l -> l.contains(" 0/0 ")), "owned by root in the archive: " + listing);
        assertEquals(-1L, Files.mismatch(Artifacts.jar(), unpacked.resolve(top + "lustre-collector.jar")),
                "the packaged jar");
        ok(List.of("sh", "-n", installScript().toString()));
    }

    @Test
    void installsUnderAPrefixStartsFromThereAndAnswers() throws Exception {
        Path prefix = work.resolve("prefix");
        Processes.Result r = install(prefix.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("installed lustre-collector in " + prefix), r.output());
        assertEquals(INSTALLED, filesUnder(prefix), "the packages' file list, under the prefix");
        assertTrue(Files.isDirectory(prefix.resolve("var/log/lustre-collector")));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                prefix.resolve("etc/lustre-collector/config"))));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                prefix.resolve("etc/init.d/lustre-collector"))));
        String unit = Files.readString(prefix.resolve("usr/lib/systemd/system/lustre-collector.service"));
        assertTrue(unit.contains("-jar " + prefix + "/usr/share/lustre-collector/lustre-collector.jar -f " + prefix
                + "/etc/lustre-collector/config -d"), unit);

        // The installed config is the one the installed collector reads.
        Path tree = Deployments.lustreTree(work.resolve("lustre"));
        Path config = prefix.resolve("etc/lustre-collector/config");
        Files.writeString(config, "maxtraps = 77\nlustre-root = " + tree + "\ntrap-file = " + tree.resolve("traps.log")
                + "\n", java.nio.file.StandardOpenOption.APPEND);
        Path init = prefix.resolve("etc/init.d/lustre-collector");
        Map<String, String> env = Map.of("JAVA", Artifacts.java(), "COLLECTOR_USER", System.getProperty("user.name"),
                "COLLECTOR_DEFAULTS", work.resolve("no-defaults").toString(), "JAVA_OPTS", "-Xmx128m",
                "COLLECTOR_OPTS", "--port 0 --host 127.0.0.1 --kmsg none --allow-root");
        Path pidFile = prefix.resolve("var/run/lustre-collector/lustre-collector.pid");
        Processes.Result start = DaemonIT.InitScript.run(init, env, "start");
        if (Files.exists(pidFile)) {
            processes.adopt(Long.parseLong(Files.readString(pidFile).trim())); // stopped even if a check fails
        }
        assertEquals(0, start.exitCode(), start.output());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        String command = ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("");
        assertTrue(command.contains(prefix + "/usr/share/lustre-collector/lustre-collector.jar"), command);

        int port = DaemonIT.portFromLog(prefix.resolve("var/log/lustre-collector/collector.log"));
        XmlRpcClient client = Deployments.client("http://127.0.0.1:" + port + "/RPC2", null, null);
        Deployments.awaitReady(client);
        Map<?, ?> info = (Map<?, ?>) client.execute("getCollectorInfo", new Object[0]);
        assertEquals(version, info.get("version"));
        assertEquals(77, info.get("maxtraps"), "read the prefix's config");
        Object[] fs = (Object[]) client.execute("getFileSystems", new Object[0]);
        assertTrue(List.of(fs).contains(Deployments.TRAP_FS), List.of(fs).toString());

        Processes.Result stop = DaemonIT.InitScript.run(init, env, "stop");
        assertEquals(0, stop.exitCode(), stop.output());
        assertFalse(Files.exists(pidFile));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped");
    }

    @Test
    void reinstallKeepsAnExistingConfigAndPutsTheShippedOneBeside() throws Exception {
        Path prefix = work.resolve("again");
        assertEquals(0, install(prefix.toString()).exitCode());
        Path config = prefix.resolve("etc/lustre-collector/config");
        String mine = "[collector]\nport = 9999\n";
        Files.writeString(config, mine);
        Processes.Result again = install(prefix.toString());
        assertEquals(0, again.exitCode(), again.output());
        assertEquals(mine, Files.readString(config), "the administrator's config is kept");
        assertEquals(-1L, Files.mismatch(Artifacts.basedir().resolve("conf/config"),
                prefix.resolve("etc/lustre-collector/config.new")));
        assertTrue(again.output().contains("kept " + config + "; the shipped config is " + config + ".new"),
                again.output());
    }

    @Test
    void badPrefixOrArgumentsAreRefused() throws Exception {
        Processes.Result spaced = install(work.resolve("with space").toString());
        assertEquals(1, spaced.exitCode(), spaced.output());
        assertTrue(spaced.output().contains("PREFIX may hold only letters, digits"), spaced.output());
        assertFalse(Files.exists(work.resolve("with space")));
        Processes.Result usage = install("a", "b");
        assertEquals(2, usage.exitCode(), usage.output());
        assertTrue(usage.output().startsWith("usage: "), usage.output());
        assertEquals(2, install("--bogus").exitCode());
        Processes.Result help = install("--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("./install.sh [--create-user] [PREFIX]")
                && help.output().trim().endsWith("Nothing is started."), help.output());
    }

    @Test
    void createUserFlagCreatesTheSystemUserAndGivesItTheConfig() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("CI")) && ExecutableJarIT.isRoot(),
                "creates a system user: only on CI (CI=true, root), a throwaway machine");
        Path prefix = work.resolve("with-user");
        Processes.Result r = install("--create-user", prefix.toString());
        assertEquals(0, r.exitCode(), r.output());
        String passwd = ok(List.of("getent", "passwd", NAME));
        assertTrue(passwd.trim().endsWith("nologin"), passwd);
        assertEquals("root lustre-collector 640", ok(List.of("stat", "-c", "%U %G %a",
                prefix.resolve("etc/lustre-collector/config").toString())).trim());
        assertEquals("lustre-collector lustre-collector 750", ok(List.of("stat", "-c", "%U %G %a",
                prefix.resolve("var/log/lustre-collector").toString())).trim());
    }
}
