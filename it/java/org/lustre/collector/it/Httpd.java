package org.lustre.collector.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Apache httpd as a foreground process ({@code apache2 -DFOREGROUND}) with a minimal
 * server config of our own (ServerRoot, logs, pid file under target/it, loopback port) that
 * includes the shipped site tomcat/lustre-collector-httpd.conf, rendered with test values.
 */
final class Httpd {
    static final Path APACHE2 = Path.of("/usr/sbin/apache2");
    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    private static final Pattern DEFINE = Pattern.compile("(?m)^Define (\\S+) (.*)$\\n?");
    private static final List<String> MODULE_NAMES = List.of("mpm_event", "authn_core", "authn_file", "authz_core",
            "authz_user", "auth_basic", "proxy", "proxy_ajp", "headers");

    final Path dir;
    final int port;

    private Httpd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static String missing() {
        for (Path p : List.of(APACHE2, HTPASSWD, MODULES.resolve("mod_proxy_ajp.so"))) {
            if (!Files.exists(p)) {
                return p + " is missing (apt-get install apache2 apache2-utils; .ci/run does)";
            }
        }
        return null;
    }

    /**
     * The shipped site with the given values for its Define lines: each value must name a Define
     * that ships (else the shipped file changed and the test says so); the ${NAME} references are
     * then replaced as httpd would, and the Define lines dropped so that two renderings can share
     * one server.
     */
    static String renderSite(Map<String, String> values) throws IOException {
        String site = Deployments.shipped("tomcat/lustre-collector-httpd.conf");
        Map<String, String> defines = new LinkedHashMap<>();
        Matcher m = DEFINE.matcher(site);
        while (m.find()) {
            defines.put(m.group(1), m.group(2).trim());
        }
        if (!defines.keySet().equals(values.keySet())) {
            throw new AssertionError("the shipped site defines " + defines.keySet() + ", the test sets "
                    + values.keySet());
        }
        String body = DEFINE.matcher(site).replaceAll("");
        for (Map.Entry<String, String> e : values.entrySet()) {
            body = body.replace("${" + e.getKey() + "}", e.getValue());
        }
        if (body.contains("${")) {
            throw new AssertionError("unresolved variable in the rendered site:\n" + body);
        }
        return body;
    }

    /** Writes httpd.conf in {@code dir}: our server part, then {@code includes} in order. */
    static Httpd create(Path dir, List<String> includes) throws IOException {
        int port = Processes.freePort();
        Files.createDirectories(dir.resolve("run"));
        StringBuilder conf = new StringBuilder()
                .append("# Written by the ITs: a minimal server around the shipped site.\n")
                .append("ServerRoot \"").append(dir).append("\"\n")
                .append("ServerName 127.0.0.1\n")
                .append("Listen 127.0.0.1:").append(port).append('\n')
                .append("PidFile \"").append(dir.resolve("httpd.pid")).append("\"\n")
                .append("DefaultRuntimeDir \"").append(dir.resolve("run")).append("\"\n")
                .append("ErrorLog \"").append(dir.resolve("error.log")).append("\"\n")
                .append("LogLevel warn\n")
                .append("LogFormat \"%h %u \\\"%r\\\" %>s\" it\n")
                .append("CustomLog \"").append(dir.resolve("access.log")).append("\" it\n")
                .append("StartServers 1\nServerLimit 1\nThreadsPerChild 16\nMaxRequestWorkers 16\n")
                .append("MinSpareThreads 1\nMaxSpareThreads 16\n");
        if (ExecutableJarIT.isRoot()) {
            // Started as root, httpd serves as nobody (it refuses to serve as root).
            conf.append("User #65534\nGroup #65534\n");
        }
        for (String module : MODULE_NAMES) {
            conf.append("LoadModule ").append(module).append("_module \"")
                    .append(MODULES.resolve("mod_" + module + ".so")).append("\"\n");
        }
        for (int i = 0; i < includes.size(); i++) {
            Path inc = dir.resolve("include-" + i + ".conf");
            Files.writeString(inc, includes.get(i), StandardCharsets.UTF_8);
            conf.append("Include \"").append(inc).append("\"\n");
        }
        Files.writeString(dir.resolve("httpd.conf"), conf.toString(), StandardCharsets.UTF_8);
        return new Httpd(dir, port);
    }

    /**
     * An htpasswd file with one user (bcrypt, as htpasswd -B makes it), in a folder that httpd's
     * unprivileged user can read: the file is read per request, after httpd dropped root.
     */
    static Path htpasswd(Path readableDir, String user, String password) throws Exception {
        Path file = readableDir.resolve("htpasswd");
        Processes.Result r = Processes.run(List.of(HTPASSWD.toString(), "-cbB", file.toString(), user, password),
                null, 60);
        if (r.exitCode() != 0) {
            throw new AssertionError("htpasswd: " + r.output());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** Checks the config, starts httpd (stopped by {@code processes}) and waits until it listens. */
    Process start(Processes processes) throws Exception {
        Processes.Result check = Processes.run(List.of(APACHE2.toString(), "-t", "-f",
                dir.resolve("httpd.conf").toString()), dir, 60);
        if (check.exitCode() != 0) {
            throw new AssertionError("apache2 -t: " + check.output());
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(APACHE2.toString(), "-f", dir.resolve("httpd.conf").toString(),
                "-DFOREGROUND")).directory(dir.toFile());
        Process p = processes.start(pb, dir.resolve("stdout.log"));
        Processes.await(() -> !p.isAlive() || Processes.listening("127.0.0.1", port), 60, "httpd to listen");
        if (!p.isAlive()) {
            throw new AssertionError("httpd exited with " + p.exitValue() + ":\n" + errorLog());
        }
        return p;
    }

    String errorLog() {
        try {
            return Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
