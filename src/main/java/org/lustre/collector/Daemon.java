package org.lustre.collector;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.config.CollectorConfig;

/**
 * Daemon mode ({@code -d}). A JVM cannot fork, so the launching JVM starts a second one: the same
 * java, JVM options and class path, the same arguments, under {@code setsid} (util-linux) so the
 * child leads a new session without a controlling terminal. Its standard input is /dev/null and
 * its output goes to {@code log-file}, where log4j writes too (conf/log4j2.xml switches to a file
 * appender when {@value #LOG_FILE_PROPERTY} is set).
 * <p>
 * The child knows it is the child by the system property {@value #CHILD_PROPERTY}, whose value is
 * the file it writes its pid to once Tomcat listens: the {@code pid-file}, or a temporary file
 * when none is configured. The launcher polls for that file or the child's death: it exits 0
 * once the child listens, or prints the child's own error lines and exits non-zero. A clean stop
 * (SIGTERM) removes the pid file. Called from the main thread only (launch, listening) and from
 * the shutdown hook (stopping).
 */
final class Daemon {
    private static final Logger LOG = LogManager.getLogger(Daemon.class);
    static final String CHILD_PROPERTY = "lustre.collector.daemon-child";
    static final String LOG_FILE_PROPERTY = "lustre.collector.log-file";
    /** Generous: a scan of a large tree happens after the listener is up, but a slow disk is not. */
    static final int START_SECONDS = 120;
    private static final int TAIL_LINES = 20;

    private Daemon() {
    }

    static boolean isChild() {
        return System.getProperty(CHILD_PROPERTY) != null;
    }

    /**
     * Starts the detached child and waits until it listens. Returns the launcher's exit code:
     * 0 started, 1 the child failed (its error lines printed on {@code err}), 2 a setup problem
     * found before starting it (pid or log file, setsid).
     */
    static int launch(String[] args, CollectorConfig config, PrintStream out, PrintStream err) {
        Path log = config.logFile().toAbsolutePath();
        Path pidFile = config.pidFile() == null ? null : config.pidFile().toAbsolutePath();
        String setsid = findSetsid();
        if (setsid == null) {
            err.println("lustre-collector: daemon mode needs the setsid command (util-linux)");
            return 2;
        }
        long logStart;
        try (OutputStream o = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            logStart = Files.size(log);
        } catch (IOException e) {
            err.println("lustre-collector: option 'log-file' (" + config.origins().get(
                    org.lustre.collector.config.Option.LOG_FILE) + "): cannot write " + log + ": " + reason(e));
            return 2;
        }
        Path ready;
        try {
            if (pidFile != null) {
                OptionalLong running = readPid(pidFile);
                if (running.isPresent() && isJavaAlive(running.getAsLong())) {
                    err.println("lustre-collector: already running (pid " + running.getAsLong() + " in " + pidFile + ")");
                    return 1;
                }
                if (!Files.isDirectory(pidFile.getParent()) || !Files.isWritable(pidFile.getParent())) {
                    err.println("lustre-collector: option 'pid-file': cannot write in " + pidFile.getParent());
                    return 2;
                }
                // A stale file (the process is gone): the child's own file replaces it.
                Files.deleteIfExists(pidFile);
                ready = pidFile;
            } else {
                ready = Files.createTempFile("lustre-collector-", ".pid");
                Files.delete(ready);
            }
        } catch (IOException e) {
            err.println("lustre-collector: pid file: " + reason(e));
            return 2;
        }

        // Started without JVM flags: the daemon runs with the packaged ones (or LUSTRE_COLLECTOR_JAVA_OPTS).
        List<String> jvm = JvmFlags.inputArguments().orElse(List.of());
        List<String> command = childCommand(setsid, JvmFlags.java(),
                JvmFlags.forCollector(jvm, System.getenv()).orElse(jvm), System.getProperty("java.class.path"), args,
                ready, log);
        Process child;
        try {
            child = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            err.println("lustre-collector: cannot start the daemon: " + reason(e));
            return 1;
        }
        long deadline = System.nanoTime() + START_SECONDS * 1_000_000_000L;
        try {
            while (true) {
                OptionalLong pid = readPid(ready);
                if (pid.isPresent()) {
                    if (pidFile == null) {
                        Files.deleteIfExists(ready);
                    }
                    out.println("lustre-collector: started, pid " + pid.getAsLong() + ", log " + log);
                    return 0;
                }
                if (!child.isAlive()) {
                    err.println("lustre-collector: the daemon did not start (exit code " + child.exitValue()
                            + "); from " + log + ":");
                    errorLines(log, logStart).forEach(line -> err.println("  " + line));
                    return 1;
                }
                if (System.nanoTime() > deadline) {
                    child.destroy();
                    err.println("lustre-collector: the daemon did not listen within " + START_SECONDS
                            + " s; stopped it. From " + log + ":");
                    errorLines(log, logStart).forEach(line -> err.println("  " + line));
                    return 1;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return 1;
        } catch (IOException e) {
            err.println("lustre-collector: " + reason(e));
            return 1;
        }
    }

    /** The child's command line; the two properties come last so they win over inherited ones. */
    static List<String> childCommand(String setsid, String java, List<String> jvmArgs, String classPath,
                                     String[] args, Path ready, Path log) {
        List<String> cmd = new ArrayList<>(List.of(setsid, java));
        for (String a : jvmArgs) {
            // A debugger agent would fight the launcher for its port.
            if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp")) {
                cmd.add(a);
            }
        }
        cmd.add("-D" + CHILD_PROPERTY + "=" + ready);
        cmd.add("-D" + LOG_FILE_PROPERTY + "=" + log);
        cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * In the child, once Tomcat listens: writes the pid (write to a temporary file, then rename, so
     * the launcher never reads half a file). False, with the reason logged, when it cannot.
     */
    static boolean listening() {
        String ready = System.getProperty(CHILD_PROPERTY);
        if (ready == null) {
            return true;
        }
        Path file = Path.of(ready);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.info("daemon: pid {} written to {}", ProcessHandle.current().pid(), file);
            return true;
        } catch (IOException e) {
            LOG.error("daemon: cannot write the pid file {}: {}", file, reason(e));
            return false;
        }
    }

    /** In the child's shutdown hook: removes the pid file if it still names this process. */
    static void stopping() {
        String ready = System.getProperty(CHILD_PROPERTY);
        if (ready == null) {
            return;
        }
        Path file = Path.of(ready);
        try {
            if (readPid(file).orElse(-1) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("daemon: cannot remove the pid file {}: {}", file, reason(e));
        }
    }

    /** The pid in a pid file; empty when the file is absent, empty or not a number. */
    static OptionalLong readPid(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (java.nio.file.NoSuchFileException e) {
            return OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(text);
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A pid is reused after a reboot: only a live java process counts as "already running". */
    private static boolean isJavaAlive(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().command().map(c -> c.endsWith("java")).orElse(true))
                .orElse(false);
    }

    /**
     * What to show of a failed child: its error lines since the launch ("lustre-collector: ..."
     * and ERROR/FATAL log lines, without Tomcat's stack traces), else the last lines it wrote.
     */
    static List<String> errorLines(Path log, long from) throws IOException {
        List<String> all = linesSince(log, from);
        List<String> errors = all.stream().filter(l -> l.startsWith("lustre-collector:")
                || l.contains(" ERROR ") || l.contains(" FATAL ")).toList();
        List<String> chosen = errors.isEmpty() ? all : errors;
        return chosen.subList(Math.max(0, chosen.size() - TAIL_LINES), chosen.size());
    }

    /** The non-blank lines the log got since {@code from} (at most its last 64 KiB). */
    private static List<String> linesSince(Path log, long from) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, f.length() - 64 * 1024);
            bytes = new byte[(int) Math.max(0, f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
        }
        return Stream.of(new String(bytes, StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
    }

    private static String findSetsid() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder: " + m;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + m;
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
