package org.lustre.collector.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector in a JVM of its own, with the packaged JVM options (192 MiB heap, serial GC, exit
 * on OutOfMemoryError), started from the test class path as {@code java -jar} would start it.
 * Its standard output and error go to a file. Stopped (and waited for) by {@link #close}.
 */
final class ChildCollector implements AutoCloseable {
    /** conf/lustre-collector.service's JAVA_OPTS. */
    static final List<String> PACKAGED_JVM_OPTIONS = List.of("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MinHeapFreeRatio=40", "-XX:MaxHeapFreeRatio=70",
            "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=32m", "-Xss512k", "-XX:-UsePerfData",
            "-XX:+ExitOnOutOfMemoryError");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/RPC2");

    final Process process;
    final Path output;

    private ChildCollector(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildCollector start(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(PACKAGED_JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.lustre.collector.Main");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new ChildCollector(p, out);
    }

    /** The HTTP port once it listens; fails when it exits first or takes over a minute. */
    int awaitPort() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("the collector exited (" + process.exitValue() + "): " + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the collector did not listen: " + output());
    }

    /** Exit code, waiting at most a minute. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("still running");
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
