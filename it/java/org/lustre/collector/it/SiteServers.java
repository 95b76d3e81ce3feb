package org.lustre.collector.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The site ITs' servers: collectors from the executable jar over one simulated tree (the two MDS of
 * a pair see the same targets), and the Debian binaries of Prometheus, Alertmanager and rsyslog,
 * each on a free loopback port with its files in the test's work directory.
 */
final class SiteServers {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");
    static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SiteServers() {
    }

    /** Null when every binary is there, else why the test is skipped. */
    static String missing(Path... binaries) {
        for (Path b : binaries) {
            if (!Files.isExecutable(b)) {
                return b + " is not installed (Debian packages prometheus, prometheus-alertmanager, rsyslog: see .ci/run)";
            }
        }
        return null;
    }

    /** Starts one collector over {@code tree}; returns its HTTP port once it listens. */
    static int collector(Processes processes, Path work, String name, Path tree, String... extra) throws Exception {
        int port = Processes.freePort();
        StringBuilder b = new StringBuilder("[collector]\n").append("lustre-root = ").append(tree).append('\n')
                .append("kmsg = none\ninterval = 1\nhost = 127.0.0.1\nport = ").append(port).append('\n');
        for (String e : extra) {
            b.append(e).append('\n');
        }
        Path config = work.resolve(name + ".ini");
        Files.writeString(config, b.toString(), StandardCharsets.UTF_8);
        processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "-f", config.toString(),
                "--allow-root"), work.resolve(name + ".log"), work);
        Processes.await(() -> Processes.listening("127.0.0.1", port), 60, name + "'s HTTP port");
        return port;
    }

    static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** GET that answers null instead of throwing (for awaits on servers still starting). */
    static String tryGet(String url) {
        try {
            return get(url);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Starts Alertmanager (no cluster port) on {@code port}; returns its process once it is ready. */
    static Process alertmanager(Processes processes, Path work, int port) throws Exception {
        Path dir = Files.createDirectories(work.resolve("alertmanager"));
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: none\nreceivers:\n  - name: none\n", StandardCharsets.UTF_8);
        Process p = processes.start(List.of(ALERTMANAGER.toString(), "--config.file=" + config,
                "--storage.path=" + Files.createDirectories(dir.resolve("data")),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address="),
                work.resolve("alertmanager-" + System.nanoTime() + ".log"), dir);
        Processes.await(() -> tryGet("http://127.0.0.1:" + port + "/-/ready") != null, 60, "Alertmanager ready");
        return p;
    }
}
