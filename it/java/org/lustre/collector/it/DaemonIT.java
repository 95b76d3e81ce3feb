package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The collector on an MDS: {@code -d}, the init script of conf/, the systemd unit of conf/. */
class DaemonIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/RPC2");
    private static final Pattern STARTED = Pattern.compile("started, pid (\\d+)");

    private final Processes processes = new Processes();
    private Path scratch;

    @AfterEach
    void stopAll() {
        processes.close();
        Processes.deleteTree(scratch);
    }

    private static Processes.Result jar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null, 180);
    }

    static int portFromLog(Path log) throws Exception {
        Processes.await(() -> {
            try {
                return LISTENING.matcher(Files.readString(log)).find();
            } catch (java.io.IOException e) {
                return false;
            }
        }, 30, "the port in " + log);
        Matcher m = LISTENING.matcher(Files.readString(log));
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    /** The session id of a process (field 6 of /proc/PID/stat). */
    private static long sessionOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[3]);
    }

    @Test
    void daemonDetachesWritesItsPidFileAnswersAndRemovesItOnStop() throws Exception {
        Path dir = Artifacts.work("daemon");
        Path tree = Deployments.lustreTree(dir.resolve("lustre"));
        Path pidFile = dir.resolve("collector.pid");
        Path log = dir.resolve("collector.log");
        String[] args = {"-d", "--port", "0", "--host", "127.0.0.1", "--kmsg", "none", "--allow-root",
            "--lustre-root", tree.toString(), "--pid-file", pidFile.toString(), "--log-file", log.toString()};
        Processes.Result r = jar(args);
        if (Files.exists(pidFile)) {
            processes.adopt(Long.parseLong(Files.readString(pidFile).trim())); // stopped even if a check fails
        }
        Matcher started = STARTED.matcher(r.output());
        assertTrue(started.find(), r.output());
        long pid = Long.parseLong(started.group(1));
        processes.adopt(pid);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(pid + "\n", Files.readString(pidFile));
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("pid " + pid + " is gone"));
        assertTrue(daemon.isAlive());
        assertEquals(pid, sessionOf(pid), "the daemon leads a session of its own");
        assertNotEquals(sessionOf(ProcessHandle.current().pid()), sessionOf(pid));

        int port = portFromLog(log);
        Deployments.HttpAnswer a = Deployments.postFrom("127.0.0.1", port, "/RPC2", null);
        assertEquals(200, a.status(), a.headers());
        assertTrue(a.body().contains(Deployments.TRAP_FS), a.body());

        Processes.Result again = jar(args);
        assertEquals(1, again.exitCode(), again.output());
        assertTrue(again.output().contains("already running (pid " + pid + " in " + pidFile + ")"), again.output());

        daemon.destroy(); // SIGTERM
        daemon.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(Files.exists(pidFile), "the pid file is removed on a clean stop");
        String text = Files.readString(log);
        assertTrue(text.contains("stopping"), text);
        assertFalse(Processes.listening("127.0.0.1", port), "port released");
    }

    @Test
    void daemonThatCannotStartExitsNonZeroWithItsError() throws Exception {
        Path dir = Artifacts.work("daemon-fails");
        Path pidFile = dir.resolve("collector.pid");
        Path log = dir.resolve("collector.log");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Processes.Result r = jar("-d", "--port", String.valueOf(taken.getLocalPort()), "--host", "127.0.0.1",
                    "--kmsg", "none", "--allow-root", "--lustre-root", dir.toString(), "--pid-file",
                    pidFile.toString(), "--log-file", log.toString());
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(r.output().contains("the daemon did not start"), r.output());
            assertTrue(r.output().contains("cannot bind 127.0.0.1:" + taken.getLocalPort()), r.output());
            assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());
        }
        assertFalse(Files.exists(pidFile));

        Processes.Result noLog = jar("-d", "--port", "0", "--kmsg", "none", "--allow-root", "--log-file",
                dir.resolve("no/such/dir/log").toString());
        assertEquals(2, noLog.exitCode(), noLog.output());
        assertTrue(noLog.output().contains("option 'log-file' (command line): cannot write"), noLog.output());

        if (ExecutableJarIT.isRoot()) {
            Processes.Result root = jar("-d", "--port", "0", "--kmsg", "none", "--log-file", log.toString());
            assertEquals(2, root.exitCode(), root.output());
            assertTrue(root.output().contains("refusing to run as root"), root.output());
        }
    }

    /**
     * conf/lustre-collector.init as the init system runs it: start, status, restart, stop. As root
     * it runs the collector as nobody (the non-root path; the jar and tree are copied where nobody
     * may read them), else as the current user.
     */
    @Test
    void initScriptStartsStatusRestartsAndStops() throws Exception {
        scratch = Files.createTempDirectory("lustre-collector-it-init-");
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.copy(Artifacts.jar(), scratch.resolve("lustre-collector.jar"));
        Path tree = Deployments.lustreTree(scratch.resolve("lustre"));
        Path pidFile = scratch.resolve("run/lustre-collector.pid");
        Path log = scratch.resolve("log/collector.log");
        boolean root = ExecutableJarIT.isRoot();
        String user = root ? "nobody" : System.getProperty("user.name");
        Map<String, String> env = Map.of("JAVA", Artifacts.java(), "COLLECTOR_JAR", jar.toString(),
                "COLLECTOR_USER", user, "COLLECTOR_PID_FILE", pidFile.toString(), "COLLECTOR_LOG_FILE",
                log.toString(), "COLLECTOR_DEFAULTS", scratch.resolve("no-defaults").toString(),
                "COLLECTOR_OPTS", "--port 0 --host 127.0.0.1 --kmsg none --lustre-root " + tree, "JAVA_OPTS", "-Xmx128m");
        Path script = Artifacts.basedir().resolve("conf/lustre-collector.init");

        Processes.Result status = InitScript.run(script, env, "status");
        assertEquals(3, status.exitCode(), "LSB: not running: " + status.output());

        Processes.Result start = InitScript.run(script, env, "start");
        if (Files.exists(pidFile)) {
            processes.adopt(Long.parseLong(Files.readString(pidFile).trim())); // stopped even if a check fails
        }
        assertEquals(0, start.exitCode(), start.output());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(start.output().contains("started, pid " + pid), start.output());
        ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
        assertEquals(user, daemon.info().user().orElse("?"), "runs as " + user);
        int port = portFromLog(log);
        assertEquals(200, Deployments.postFrom("127.0.0.1", port, "/RPC2", null).status());

        status = InitScript.run(script, env, "status");
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains("is running (pid " + pid + ")"), status.output());
        Processes.Result twice = InitScript.run(script, env, "start");
        assertEquals(0, twice.exitCode(), twice.output());
        assertTrue(twice.output().contains("already running (pid " + pid + ")"), twice.output());

        Processes.Result restart = InitScript.run(script, env, "restart");
        long newPid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : -1;
        processes.adopt(newPid);
        assertEquals(0, restart.exitCode(), restart.output());
        assertNotEquals(pid, newPid);
        assertFalse(daemon.isAlive(), "the old collector stopped");

        Processes.Result stop = InitScript.run(script, env, "stop");
        assertEquals(0, stop.exitCode(), stop.output());
        assertFalse(Files.exists(pidFile));
        assertFalse(ProcessHandle.of(newPid).map(ProcessHandle::isAlive).orElse(false), "stopped");
        assertEquals(3, InitScript.run(script, env, "status").exitCode());
        assertEquals(0, InitScript.run(script, env, "stop").exitCode(), "stop when stopped is fine (LSB)");

        // A pid file left by a crash: status says so (LSB 1), start replaces it.
        Files.writeString(pidFile, "2147483646\n");
        status = InitScript.run(script, env, "status");
        assertEquals(1, status.exitCode(), status.output());
        assertTrue(status.output().contains("dead but its pid file"), status.output());
        assertEquals(2, InitScript.run(script, env, "bogus").exitCode());
    }

    @Test
    void shippedScriptsAndUnitAreWellFormed() throws Exception {
        Path init = Artifacts.basedir().resolve("conf/lustre-collector.init");
        Processes.Result syntax = Processes.run(List.of("sh", "-n", init.toString()), null, 30);
        assertEquals(0, syntax.exitCode(), syntax.output());
        String script = Files.readString(init);
        assertTrue(script.contains("### BEGIN INIT INFO") && script.contains("# chkconfig:"), "LSB and chkconfig headers");

        Path unit = Artifacts.basedir().resolve("conf/lustre-collector.service");
        String text = Files.readString(unit, StandardCharsets.UTF_8);
        for (String line : List.of("Type=forking", "User=lustre-collector", "Restart=on-failure",
                "PIDFile=/run/lustre-collector/lustre-collector.pid", "NoNewPrivileges=yes", "ProtectSystem=strict",
                "ProtectHome=yes", "PrivateTmp=yes", "SuccessExitStatus=143")) {
            assertTrue(text.lines().anyMatch(line::equals), "unit has " + line);
        }
        String exec = text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertTrue(exec.contains(" -d --pid-file /run/lustre-collector/lustre-collector.pid --log-file "
                + "/var/log/lustre-collector/collector.log"), exec);
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "no /usr/bin/java for ExecStart");
        Path dir = Artifacts.work("unit");
        Path copy = Files.copy(unit, dir.resolve("lustre-collector.service"));
        Processes.Result verify = Processes.run(List.of(analyze.toString(), "verify", copy.toString()), dir, 60);
        assertEquals(0, verify.exitCode(), verify.output());
        assertEquals("", verify.output().trim(), "systemd-analyze verify has no complaint");
    }

    /** Runs the init script with an environment of settings (as /etc/default would give). */
    static final class InitScript {
        private InitScript() {
        }

        static Processes.Result run(Path script, Map<String, String> env, String action) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(List.of("sh", script.toString(), action));
            pb.environment().putAll(env);
            return Processes.run(pb, 180);
        }
    }
}
