package org.lustre.collector.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Starts the processes of one test class and stops every one of them at the end, even when a
 * check failed: use as a field, call {@link #close()} in {@code @AfterAll}/{@code @AfterEach}.
 */
public final class Processes implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final List<ProcessHandle> adopted = new ArrayList<>();

    /** Starts a command with its output going to {@code log} (appended). */
    public Process start(List<String> command, Path log, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Starts a prepared command (environment, folder) with its output going to {@code log} (appended). */
    public Process start(ProcessBuilder pb, Path log) throws IOException {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /**
     * Stops this process too at {@link #close()}: one that detached itself from what we started
     * (a daemon), so it is no longer among the started processes' descendants.
     */
    public void adopt(long pid) {
        ProcessHandle.of(pid).ifPresent(adopted::add);
    }

    /** Runs a command to its end (at most {@code seconds}), returning exit code and output. */
    public static Result run(List<String> command, Path dir, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return run(pb, seconds);
    }

    /** Runs a prepared command (environment, folder) to its end (at most {@code seconds}). */
    public static Result run(ProcessBuilder pb, int seconds) throws IOException, InterruptedException {
        List<String> command = pb.command();
        Path out = Files.createTempFile("it-run-", ".log");
        try {
            pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + seconds + " s: " + command + "\n"
                        + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    public record Result(int exitCode, String output) {
    }

    /** A free TCP port on loopback (for servers that cannot be told to take port 0). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Stops every process started here: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        for (ProcessHandle h : adopted) {
            h.descendants().forEach(ProcessHandle::destroy);
            h.destroy();
        }
        for (ProcessHandle h : adopted) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        adopted.clear();
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
    }

    public static void deleteTree(Path dir) {
        org.lustre.collector.TempTree.delete(dir);
    }
}
