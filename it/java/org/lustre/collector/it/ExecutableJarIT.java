package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packaged executable jar as an administrator runs it: help, version, errors, start and SIGTERM. */
class ExecutableJarIT {
    private final Processes processes = new Processes();

    @AfterEach
    void stopAll() {
        processes.close();
    }

    private static Processes.Result jar(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null, 60);
    }

    @Test
    void helpAndVersion() throws Exception {
        Processes.Result help = jar("--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("--lustre-root"), help.output());
        Processes.Result version = jar("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.output().trim().matches("lustre-collector \\d+\\.\\d+\\.\\d+.*"), version.output());
    }

    @Test
    void badOptionIsOneLineAndExitTwo() throws Exception {
        Processes.Result r = jar("--port", "http");
        assertEquals(2, r.exitCode());
        assertEquals("lustre-collector: option 'port' (command line): bad value 'http': not a whole number",
                r.output().trim());
    }

    @Test
    void refusesRootWithoutAllowRoot() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(isRoot(), "only meaningful when the tests run as root");
        Processes.Result r = jar("--port", "0", "--kmsg", "none");
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("refusing to run as root"), r.output());
    }

    @Test
    void portInUseIsAClearErrorExitOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Processes.Result r = jar("--port", String.valueOf(taken.getLocalPort()), "--host", "127.0.0.1",
                    "--kmsg", "none", "--allow-root", "--lustre-root", Artifacts.work("port-in-use").toString());
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(r.output().contains("cannot bind 127.0.0.1:" + taken.getLocalPort()), r.output());
        }
    }

    @Test
    void startsAnswersAndStopsCleanlyOnSigterm() throws Exception {
        Path dir = Artifacts.work("sigterm");
        int port = Processes.freePort();
        Path log = dir.resolve("collector.log");
        Process p = processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "--port",
                String.valueOf(port), "--host", "127.0.0.1", "--kmsg", "none", "--allow-root", "--lustre-root",
                dir.toString()), log, dir);
        Processes.await(() -> Processes.listening("127.0.0.1", port), 60, "the collector to listen");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/RPC2")).POST(HttpRequest.BodyPublishers.ofString(
                "<?xml version=\"1.0\"?><methodCall><methodName>getFileSystems</methodName></methodCall>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<array><data/></array>"), "no Lustre here: no file systems: " + r.body());
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "stopped within 30 s");
        assertEquals(143, p.exitValue(), "the JVM's exit status for SIGTERM");
        String out = Files.readString(log);
        assertTrue(out.contains("listening on http://127.0.0.1:" + port + "/RPC2"), out);
        assertTrue(out.contains("no Lustre") || out.contains("0 file systems"), out);
        assertTrue(out.contains("stopping"), out);
        assertTrue(!Processes.listening("127.0.0.1", port), "port released");
    }

    /**
     * Started with no JVM flag, the collector runs in a second JVM with the packaged flags (or
     * LUSTRE_COLLECTOR_JAVA_OPTS), the first waiting for it; =none runs it in the first JVM.
     */
    @Test
    void withoutJvmFlagsRunsInAChildWithThePackagedFlagsOrTheGivenOnesOrNone() throws Exception {
        assertEquals(List.of("-Xms32m", "-Xmx192m"), childFlags(null, "packaged").subList(0, 2));
        assertEquals(List.of("-Xmx100m", "-XX:+UseSerialGC", "-Dlustre.collector.relaunched=true"),
                childFlags("-Xmx100m -XX:+UseSerialGC", "own"));
        assertEquals(null, childFlags("none", "none"));
    }

    /** The relaunched JVM's flags, or null when the collector answers from the first JVM. */
    private List<String> childFlags(String env, String name) throws Exception {
        Path dir = Artifacts.work("relaunch-" + name);
        int port = Processes.freePort();
        ProcessBuilder pb = new ProcessBuilder(Artifacts.java(), "-jar", Artifacts.jar().toString(), "--port",
                String.valueOf(port), "--host", "127.0.0.1", "--kmsg", "none", "--allow-root", "--lustre-root",
                dir.toString());
        pb.environment().remove("LUSTRE_COLLECTOR_JAVA_OPTS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        if (env != null) {
            pb.environment().put("LUSTRE_COLLECTOR_JAVA_OPTS", env);
        }
        Process p = processes.start(pb, dir.resolve("collector.log"));
        Processes.await(() -> Processes.listening("127.0.0.1", port), 60, "the collector to listen");
        List<ProcessHandle> children = p.toHandle().children().toList();
        List<String> flags = null;
        if (!children.isEmpty()) {
            assertEquals(1, children.size(), "one relaunched JVM");
            List<String> args = List.of(children.get(0).info().arguments().orElseThrow());
            flags = args.subList(0, args.indexOf("-cp"));
            assertTrue(flags.contains("-Dlustre.collector.relaunched=true"), args.toString());
        }
        p.destroy(); // SIGTERM: the parent stops the child first
        assertTrue(p.waitFor(40, java.util.concurrent.TimeUnit.SECONDS), "stopped within 40 s");
        assertTrue(children.stream().noneMatch(ProcessHandle::isAlive), "the relaunched JVM stopped too");
        assertTrue(!Processes.listening("127.0.0.1", port), "port released");
        return flags;
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }
}
