package org.lustre.collector.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the web page's target map costs a collector: one system.multicall of getTargetStates for
 * every file system, as the page sends each refresh, against a running collector (the suite's
 * 100,000-OST one). Measured twice: with version 0 (a page that has nothing yet: every letter
 * sent) and with each file system's version handed back (a refresh where nothing changed).
 * Prints one Markdown table row per case: answer bytes, median and p99 wall time on loopback,
 * and the collector's CPU per call when its pid is given (from /proc/PID/stat, the whole process).
 *
 * <pre>
 * TargetStatesBench URL [PID] [ROUNDS]     e.g. http://127.0.0.1:8980/RPC2 12345 50
 * </pre>
 * The unit test TargetStatesTest prints the same answer's size and serialisation CPU in-process.
 */
public final class TargetStatesBench {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern STRING = Pattern.compile("<value>(?:<string>)?([^<]*)(?:</string>)?</value>");
    private static final Pattern VERSION = Pattern.compile(
            "<name>version</name><value><(?:i4|int)>(\\d+)</(?:i4|int)></value>");
    /** Clock ticks a second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private TargetStatesBench() {
    }

    /** One case: what the page's multicall costs. */
    record Result(String label, int fileSystems, long bytes, double medianMs, double p99Ms, double cpuMs) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TargetStatesBench URL [PID] [ROUNDS]");
            System.exit(2);
        }
        long pid = args.length > 1 ? Long.parseLong(args[1]) : -1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        LongSupplier cpu = () -> {
            try {
                return Math.round(cpuSeconds(pid) * 1000);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        System.out.println("| case | file systems | answer bytes | median ms | p99 ms | collector CPU ms a call |");
        System.out.println("|---|---|---|---|---|---|");
        for (Result r : measure(URI.create(args[0]), pid > 0 ? cpu : null, rounds)) {
            System.out.printf("| %s | %d | %,d | %.1f | %.1f | %s |%n", r.label(), r.fileSystems(), r.bytes(),
                    r.medianMs(), r.p99Ms(), Double.isNaN(r.cpuMs()) ? "-" : String.format("%.1f", r.cpuMs()));
        }
    }

    /**
     * Both cases against the collector at {@code url}; {@code cpuMillis} is the collector's CPU
     * (null when unknown).
     */
    static List<Result> measure(URI url, LongSupplier cpuMillis, int rounds) throws Exception {
        String list = post(url, "<?xml version=\"1.0\"?><methodCall><methodName>getFileSystems</methodName>"
                + "<params/></methodCall>");
        List<String> names = new ArrayList<>();
        Matcher m = STRING.matcher(list);
        while (m.find()) {
            names.add(m.group(1));
        }
        int[] none = new int[names.size()];
        String full = post(url, multicall(names, none));
        int[] versions = new int[names.size()];
        Matcher v = VERSION.matcher(full);
        for (int i = 0; i < versions.length && v.find(); i++) {
            versions[i] = Integer.parseInt(v.group(1));
        }
        return List.of(
                one("every letter (version 0: a page that holds nothing yet)", url, multicall(names, none),
                        names.size(), cpuMillis, rounds),
                one("nothing changed (each version handed back)", url, multicall(names, versions), names.size(),
                        cpuMillis, rounds));
    }

    private static Result one(String label, URI url, String body, int fileSystems, LongSupplier cpuMillis,
                              int rounds) throws Exception {
        for (int i = 0; i < 5; i++) {
            post(url, body); // warm-up
        }
        long[] wall = new long[rounds];
        long bytes = 0;
        long cpu0 = cpuMillis == null ? 0 : cpuMillis.getAsLong();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            bytes = post(url, body).getBytes(StandardCharsets.UTF_8).length;
            wall[i] = System.nanoTime() - t0;
        }
        double cpu = cpuMillis == null ? Double.NaN : (cpuMillis.getAsLong() - cpu0) / (double) rounds;
        Arrays.sort(wall);
        return new Result(label, fileSystems, bytes, wall[rounds / 2] / 1e6,
                wall[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)] / 1e6, cpu);
    }

    private static String multicall(List<String> names, int[] versions) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><methodCall><methodName>system.multicall"
                + "</methodName><params><param><value><array><data>");
        for (int i = 0; i < names.size(); i++) {
            b.append("<value><struct><member><name>methodName</name><value>getTargetStates</value></member>")
                    .append("<member><name>params</name><value><array><data><value><string>").append(names.get(i))
                    .append("</string></value><value><int>").append(versions[i])
                    .append("</int></value></data></array></value></member></struct></value>");
        }
        return b.append("</data></array></value></param></params></methodCall>").toString();
    }

    private static String post(URI url, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200 || r.body().contains("<fault>")) {
            throw new IOException("HTTP " + r.statusCode() + ": " + r.body().substring(0, Math.min(300,
                    r.body().length())));
        }
        return r.body();
    }

    /** utime + stime of a process, in seconds; 0 without a pid. */
    private static double cpuSeconds(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    }
}
