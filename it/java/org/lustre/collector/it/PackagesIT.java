package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * packaging/build-packages.sh, the one documented command, builds both packages from the
 * packaged jar and WAR; their file lists, config handling and install scripts are checked with
 * rpm and dpkg-deb. On CI (CI=true, root: a throwaway machine) the .deb is also installed for
 * real, run through its init script as its own user, upgraded with a changed config, and purged.
 * The RPM is not installed: this is a Debian machine and its rpm database is no real system's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagesIT {
    private static final Set<String> FILES = new TreeSet<>(List.of(
            "/etc/init.d/lustre-collector",
            "/etc/lustre-collector",
            "/etc/lustre-collector/config",
            "/usr/lib/systemd/system/lustre-collector.service",
            "/usr/share/doc/lustre-collector/README.md",
            "/usr/share/lustre-collector",
            "/usr/share/lustre-collector/lustre-collector.jar",
            "/usr/share/lustre-collector/lustre-collector.war",
            "/usr/share/lustre-collector/tomcat",
            "/usr/share/lustre-collector/tomcat/lustre-collector-httpd.conf",
            "/usr/share/lustre-collector/tomcat/lustre-collector.xml",
            "/usr/share/lustre-collector/tomcat/server-connectors.xml"));

    private final Processes processes = new Processes();
    private Path out;
    private Path rpm;
    private Path deb;
    private String version;

    @BeforeAll
    void build() throws Exception {
        for (String tool : List.of("rpmbuild", "rpm", "dpkg-deb")) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed (apt-get install rpm; .ci/run does)");
        }
        version = System.getProperty("project.version");
        out = Artifacts.work("packages");
        Processes.Result r = buildPackages(out, null);
        assertEquals(0, r.exitCode(), r.output());
        rpm = out.resolve("lustre-collector-" + version + "-1.noarch.rpm");
        deb = out.resolve("lustre-collector_" + version + "_all.deb");
        assertTrue(Files.isRegularFile(rpm), r.output());
        assertTrue(Files.isRegularFile(deb), r.output());
    }

    @AfterAll
    void stopAll() {
        processes.close();
    }

    private static Processes.Result buildPackages(Path into, String pkgVersion) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", Artifacts.basedir().resolve("packaging/build-packages.sh")
                .toString(), into.toString())).directory(Artifacts.basedir().toFile());
        pb.environment().put("SKIP_MVN", "1");
        // The script runs `java -jar ... --version`: the tests' own JDK.
        pb.environment().put("PATH", Path.of(Artifacts.java()).getParent() + ":" + System.getenv("PATH"));
        if (pkgVersion != null) {
            pb.environment().put("PKG_VERSION", pkgVersion);
        }
        return Processes.run(pb, 300);
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static String ok(List<String> cmd) throws Exception {
        Processes.Result r = Processes.run(cmd, null, 120);
        assertEquals(0, r.exitCode(), cmd + ": " + r.output());
        return r.output();
    }

    @Test
    void rpmInstallsTheFilesConfigKeptOnUpgrade() throws Exception {
        String list = ok(List.of("rpm", "-qp", "--qf",
                "[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags}|%{FILENAMES}\\n]",
                rpm.toString()));
        Map<String, String> byPath = list.lines().filter(l -> l.contains("|"))
                .collect(Collectors.toMap(l -> l.substring(l.indexOf('|') + 1), l -> l.substring(0, l.indexOf('|'))));
        TreeSet<String> expected = new TreeSet<>(FILES);
        expected.add("/var/log/lustre-collector");
        assertEquals(expected, new TreeSet<>(byPath.keySet()), list);
        // %config(noreplace): an administrator's config survives an upgrade.
        assertEquals("-rw-r----- root:lustre-collector cn", byPath.get("/etc/lustre-collector/config").trim());
        assertTrue(byPath.get("/etc/init.d/lustre-collector").startsWith("-rwxr-xr-x root:root"));
        assertTrue(byPath.get("/var/log/lustre-collector").startsWith("drwxr-x--- lustre-collector:lustre-collector"));

        String info = ok(List.of("rpm", "-qpi", rpm.toString()));
        assertTrue(info.contains("Version     : " + version), info);
        assertTrue(info.contains("Architecture: noarch"), info);
        assertTrue(ok(List.of("rpm", "-qp", "--requires", rpm.toString())).contains("java-headless >= 1:17"));
    }

    @Test
    void rpmScriptsCreateTheUserAndStopOnRemoval() throws Exception {
        String scripts = ok(List.of("rpm", "-qp", "--scripts", rpm.toString()));
        String pre = scripts.substring(scripts.indexOf("preinstall scriptlet"), scripts.indexOf("postinstall scriptlet"));
        assertTrue(pre.contains("useradd -r -g lustre-collector") && pre.contains("groupadd -r lustre-collector"), pre);
        assertTrue(pre.contains("-s /sbin/nologin"), pre);
        String preun = scripts.substring(scripts.indexOf("preuninstall scriptlet"));
        assertTrue(preun.contains("disable --now lustre-collector.service") && preun.contains(
                "/etc/init.d/lustre-collector stop"), preun);
        for (String block : scripts.split("(?m)^\\S+ scriptlet.*$")) {
            if (block.isBlank()) {
                continue;
            }
            Path f = Files.writeString(Files.createTempFile(out, "scriptlet", ".sh"), block);
            ok(List.of("sh", "-n", f.toString()));
        }
    }

    @Test
    void debInstallsTheFilesWithConffilesAndScripts() throws Exception {
        String contents = ok(List.of("dpkg-deb", "-c", deb.toString()));
        Set<String> paths = contents.lines().map(l -> l.substring(l.indexOf(" ./") + 2))
                .map(p -> p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p)
                .filter(p -> FILES.contains(p) || p.startsWith("/usr/share/lustre-collector")
                        || p.startsWith("/etc/lustre-collector") || p.contains("lustre-collector"))
                .collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> expected = new TreeSet<>(FILES);
        expected.add("/usr/share/doc/lustre-collector");
        assertEquals(expected, paths, contents);
        assertTrue(contents.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith(
                "./etc/init.d/lustre-collector")), contents);

        Path control = out.resolve("deb-control");
        ok(List.of("dpkg-deb", "-e", deb.toString(), control.toString()));
        assertEquals(List.of("/etc/lustre-collector/config", "/etc/init.d/lustre-collector"),
                Files.readAllLines(control.resolve("conffiles")), "conffiles: kept on upgrade");
        String fields = Files.readString(control.resolve("control"));
        assertTrue(fields.contains("Version: " + version + "\n") && fields.contains("Architecture: all\n"), fields);
        assertTrue(fields.contains("Depends: openjdk-17-jre-headless | java17-runtime-headless"), fields);
        String preinst = Files.readString(control.resolve("preinst"));
        assertTrue(preinst.contains("useradd --system --gid lustre-collector") && preinst.contains("/usr/sbin/nologin"),
                preinst);
        assertTrue(Files.readString(control.resolve("prerm")).contains("/etc/init.d/lustre-collector stop"));
        for (String s : List.of("preinst", "postinst", "prerm", "postrm")) {
            ok(List.of("sh", "-n", control.resolve(s).toString()));
            assertTrue(Files.isExecutable(control.resolve(s)), s);
        }
    }

    @Test
    void debInstallsRunsUpgradesKeepingTheConfigAndPurges() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("CI")) && ExecutableJarIT.isRoot(),
                "installs a package for real: only on CI (CI=true, root), a throwaway machine");
        Assumptions.assumeTrue(onPath("dpkg") && !Files.exists(Path.of("/usr/share/lustre-collector")),
                "dpkg missing, or lustre-collector already installed here");
        Path later = Artifacts.work("packages-later");
        Processes.Result built = buildPackages(later, version + "+it1");
        assertEquals(0, built.exitCode(), built.output());
        Path scratch = Files.createTempDirectory("lustre-collector-it-deb-");
        try {
            ok(List.of("dpkg", "-i", deb.toString()));
            String passwd = ok(List.of("getent", "passwd", "lustre-collector"));
            assertTrue(passwd.trim().endsWith(":/usr/sbin/nologin"), passwd);
            assertEquals("root lustre-collector 640", ok(List.of("stat", "-c", "%U %G %a",
                    "/etc/lustre-collector/config")).trim());
            assertEquals("lustre-collector lustre-collector 750", ok(List.of("stat", "-c", "%U %G %a",
                    "/var/log/lustre-collector")).trim());

            // The installed init script runs the installed jar as the package's user.
            Files.setPosixFilePermissions(scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path tree = Deployments.lustreTree(scratch.resolve("lustre"));
            Map<String, String> env = Map.of("JAVA", Artifacts.java(), "COLLECTOR_DEFAULTS",
                    scratch.resolve("none").toString(), "COLLECTOR_OPTS",
                    "--port 0 --host 127.0.0.1 --kmsg none --lustre-root " + tree);
            Path init = Path.of("/etc/init.d/lustre-collector");
            Processes.Result start = DaemonIT.InitScript.run(init, env, "start");
            Path pidFile = Path.of("/var/run/lustre-collector/lustre-collector.pid");
            if (Files.exists(pidFile)) {
                processes.adopt(Long.parseLong(Files.readString(pidFile).trim()));
            }
            assertEquals(0, start.exitCode(), start.output());
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertEquals("lustre-collector", ProcessHandle.of(pid).orElseThrow().info().user().orElse("?"));
            int port = DaemonIT.portFromLog(Path.of("/var/log/lustre-collector/collector.log"));
            assertEquals(200, Deployments.postFrom("127.0.0.1", port, "/RPC2", null).status());
            assertEquals(0, DaemonIT.InitScript.run(init, env, "stop").exitCode());

            // An administrator's change to the config survives the upgrade.
            String mine = "# changed by the administrator\n";
            Files.writeString(Path.of("/etc/lustre-collector/config"), mine, java.nio.file.StandardOpenOption.APPEND);
            ok(List.of("dpkg", "-i", later.resolve("lustre-collector_" + version + "+it1_all.deb").toString()));
            assertTrue(ok(List.of("dpkg-query", "-W", "-f", "${Version}", "lustre-collector")).contains(version + "+it1"));
            assertTrue(Files.readString(Path.of("/etc/lustre-collector/config")).endsWith(mine), "config kept");
            assertFalse(Files.exists(Path.of("/etc/lustre-collector/config.dpkg-new")));
        } finally {
            processes.close();
            Processes.run(List.of("dpkg", "--purge", "lustre-collector"), null, 120);
            Processes.deleteTree(scratch);
        }
        assertFalse(Files.exists(Path.of("/usr/share/lustre-collector")), "purged");
        assertFalse(Files.exists(Path.of("/etc/lustre-collector")), "purged, config included");
    }
}
