package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Apache httpd in front, with the shipped site rendered twice: /lustre-collector/ to the WAR in a
 * standalone Tomcat 11 (shipped connectors), /mds1/ to the executable jar's own AJP connector (an
 * MDS running the embedded collector). Both collectors admit no HTTP peer but 127.0.0.2, so what
 * reaches them through httpd is admitted only for the user httpd authenticated.
 * Test-only routes beside the shipped site play a misconfigured httpd: wrong secret, no secret,
 * no authentication.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpdIT {
    private static final String USER = "admin";
    private static final String PASSWORD = "s3cret-Pass";

    private final Processes processes = new Processes();
    private StandaloneTomcat tomcat;
    private Httpd httpd;
    private int jarHttpPort;
    private Path work;
    private Path readable;

    @BeforeAll
    void start() throws Exception {
        String missing = Httpd.missing();
        Assumptions.assumeTrue(missing == null, missing);
        Assumptions.assumeTrue(Files.isRegularFile(StandaloneTomcat.tomcat11Home().resolve("bin/catalina.sh")),
                "the Tomcat 11 distribution is not unpacked (run through mvn verify)");
        work = Artifacts.work("httpd");
        Path tree = Deployments.lustreTree(work.resolve("lustre"));
        String warSecret = "war-secret-" + System.nanoTime();
        String jarSecret = "jar-secret-" + System.nanoTime();

        Path warConfig = Deployments.collectorConfig(work.resolve("war.ini"), tree, "127.0.0.2/32");
        tomcat = StandaloneTomcat.create(StandaloneTomcat.tomcat11Home(), Files.createDirectories(work.resolve("tomcat")),
                warConfig, warSecret);
        tomcat.start(processes);

        Path secretFile = work.resolve("ajp-secret");
        Files.writeString(secretFile, jarSecret + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        jarHttpPort = Processes.freePort();
        int jarAjpPort = Processes.freePort();
        Path jarConfig = Deployments.collectorConfig(work.resolve("jar.ini"), tree, "127.0.0.2/32",
                "host = 127.0.0.1", "port = " + jarHttpPort, "ajp-port = " + jarAjpPort,
                "ajp-secret-file = " + secretFile);
        processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "-f", jarConfig.toString(),
                "--allow-root"), work.resolve("jar.log"), work);
        Processes.await(() -> Processes.listening("127.0.0.1", jarAjpPort), 60, "the embedded collector's AJP port");

        // The htpasswd file is read per request by httpd's unprivileged user: not under target/.
        readable = Files.createTempDirectory("lustre-collector-it-httpd-");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path users = Httpd.htpasswd(readable, USER, PASSWORD);
        String tomcatAjp = "ajp://127.0.0.1:" + tomcat.ajpPort + "/lustre-collector/";
        String jarAjp = "ajp://127.0.0.1:" + jarAjpPort + "/";
        List<String> includes = new ArrayList<>();
        includes.add(Httpd.renderSite(Map.of("LUSTRE_COLLECTOR_PATH", "/lustre-collector/",
                "LUSTRE_COLLECTOR_AJP", tomcatAjp, "LUSTRE_COLLECTOR_SECRET", warSecret,
                "LUSTRE_COLLECTOR_USERS", users.toString())));
        includes.add(Httpd.renderSite(Map.of("LUSTRE_COLLECTOR_PATH", "/mds1/",
                "LUSTRE_COLLECTOR_AJP", jarAjp, "LUSTRE_COLLECTOR_SECRET", jarSecret,
                "LUSTRE_COLLECTOR_USERS", users.toString())));
        // Test only: a misconfigured httpd. A worker's parameters (the secret among them) belong to
        // its URL, and a URL that starts with another worker's shares that one: "localhost" makes
        // these workers of their own. They authenticate like the site, so only the secret can
        // refuse them. /no-user/ has no parameters: it shares the site's worker, secret included.
        includes.add("""
                <Location "/wrong-secret/">
                    ProxyPass "%s" secret=not-the-secret
                </Location>
                <Location "/no-secret/">
                    ProxyPass "%s"
                </Location>
                <LocationMatch "^/(wrong|no)-secret/">
                    AuthType Basic
                    AuthName "Lustre trap collector"
                    AuthBasicProvider file
                    AuthUserFile "%s"
                    Require valid-user
                </LocationMatch>
                ProxyPass "/no-user/" "%sRPC2"
                """.formatted(tomcatAjp.replace("127.0.0.1", "localhost") + "RPC2",
                jarAjp.replace("127.0.0.1", "localhost") + "RPC2", users, jarAjp));
        httpd = Httpd.create(work.resolve("httpd"), includes);
        httpd.start(processes);
        Deployments.awaitReady(Deployments.client(httpd.url("/lustre-collector/RPC2"), USER, PASSWORD));
        Deployments.awaitReady(Deployments.client(httpd.url("/mds1/RPC2"), USER, PASSWORD));
    }

    @AfterAll
    void stop() {
        processes.close();
        Processes.deleteTree(readable);
    }

    private Processes.Result monitor(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "monitor"));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, null, 60);
    }

    private Path passwordFile(String password) throws Exception {
        Path f = Files.createTempFile(work, "password-", "");
        Files.writeString(f, password + "\n", StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void monitorWorksThroughHttpdWithValidCredentialsToTheWarAndTheJar() throws Exception {
        Path pw = passwordFile(PASSWORD);
        for (String path : List.of("/lustre-collector/RPC2", "/mds1/RPC2")) {
            Processes.Result once = monitor("--once", "--no-color", "--user", USER, "--password-file", pw.toString(),
                    httpd.url(path));
            assertEquals(0, once.exitCode(), path + ": " + once.output());
            assertTrue(once.output().contains(Deployments.TRAP_MESSAGE), path + ": " + once.output());
            Processes.Result status = monitor("status", "--user", USER, "--password-file", pw.toString(),
                    httpd.url(path));
            assertEquals(0, status.exitCode(), path + ": " + status.output());
            assertTrue(status.output().contains(Deployments.TRAP_FS), path + ": " + status.output());
        }
        String access = Files.readString(httpd.dir.resolve("access.log"));
        assertTrue(access.contains(" " + USER + " \"POST /mds1/RPC2 HTTP/1.1\" 200"), access);
    }

    @Test
    void theMonitorPageIsServedThroughHttpdToAuthenticatedUsersOnly() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/lustre-collector/", "/mds1/", "/mds1/app.js")) {
            java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(httpd.url(path))).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), path);
            java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(httpd.url(path))).header("Authorization", Deployments.basic(USER, PASSWORD))
                    .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
                    path + ": " + page.headers().map());
            assertTrue(path.endsWith(".js") ? page.body().contains("getTrapRecords")
                    : page.body().contains("<title>"), path + ": " + page.body());
        }
    }

    @Test
    void everyMethodAnswersThroughHttpd() throws Exception {
        Deployments.callEveryMethod(Deployments.client(httpd.url("/lustre-collector/RPC2"), USER, PASSWORD));
        Deployments.callEveryMethod(Deployments.client(httpd.url("/mds1/RPC2"), USER, PASSWORD));
    }

    @Test
    void noCredentialsOrAWrongPasswordIs401() throws Exception {
        for (String path : List.of("/lustre-collector/RPC2", "/mds1/RPC2")) {
            Deployments.HttpAnswer none = Deployments.postFrom("127.0.0.1", httpd.port, path, null);
            assertEquals(401, none.status(), path + ": " + none.headers());
            assertTrue(none.headers().contains("WWW-Authenticate: Basic realm=\"Lustre trap collector\""),
                    none.headers());
            Deployments.HttpAnswer wrong = Deployments.postFrom("127.0.0.1", httpd.port, path,
                    Deployments.basic(USER, "not-" + PASSWORD));
            assertEquals(401, wrong.status(), path + ": " + wrong.headers());
            assertFalse(wrong.body().contains(Deployments.TRAP_FS), wrong.body());
            Deployments.HttpAnswer right = Deployments.postFrom("127.0.0.1", httpd.port, path,
                    Deployments.basic(USER, PASSWORD));
            assertEquals(200, right.status(), path + ": " + right.headers());
        }
        Processes.Result monitor = monitor("--once", "--user", USER, "--password-file",
                passwordFile("not-" + PASSWORD).toString(), httpd.url("/mds1/RPC2"));
        assertEquals(13, monitor.exitCode(), "the monitor's exit code for 401: " + monitor.output());
        assertTrue(monitor.output().contains("HTTP 401"), monitor.output());
    }

    @Test
    void ajpWithAWrongSecretOrNoneIsRefusedEvenForAnAuthenticatedUser() throws Exception {
        // To the WAR's Tomcat with a wrong secret, to the jar's connector with none. The user is
        // authenticated, which the access filter admits (see the monitor test): only the
        // connector's secret check can refuse these.
        for (String path : List.of("/wrong-secret/", "/no-secret/")) {
            Deployments.HttpAnswer a = Deployments.postFrom("127.0.0.1", httpd.port, path,
                    Deployments.basic(USER, PASSWORD));
            assertEquals(403, a.status(), path + ": " + a.headers());
            assertFalse(a.body().contains(Deployments.TRAP_FS), a.body());
        }
        assertFalse(httpd.errorLog().contains("AH01146"), "a test worker shares the site's: " + httpd.errorLog());
    }

    @Test
    void ajpWithTheSecretButNoAuthenticatedUserIs403() throws Exception {
        // The AJP connector alone does not admit: httpd's user does (127.0.0.1 is not in allow).
        Deployments.HttpAnswer a = Deployments.postFrom("127.0.0.1", httpd.port, "/no-user/", null);
        assertEquals(403, a.status(), a.headers());
        assertFalse(a.body().contains(Deployments.TRAP_FS), a.body());
    }

    @Test
    void embeddedHttpConnectorRefusesADisallowedPeerWith403() throws Exception {
        Deployments.HttpAnswer refused = Deployments.postFrom("127.0.0.1", jarHttpPort, "/RPC2", null);
        assertEquals(403, refused.status(), refused.headers());
        Deployments.HttpAnswer allowed = Deployments.postFrom("127.0.0.2", jarHttpPort, "/RPC2", null);
        assertEquals(200, allowed.status(), allowed.headers());
        assertTrue(allowed.body().contains(Deployments.TRAP_FS), allowed.body());
    }

    @Test
    void thePasswordStaysInHttpd() throws Exception {
        String log = Files.readString(work.resolve("jar.log")) + tomcat.logText();
        assertFalse(log.contains(PASSWORD), "a collector logged the password");
    }
}
