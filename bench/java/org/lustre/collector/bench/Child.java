package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the harness, with its CPU time (utime + stime from /proc/PID/stat, what the MDS
 * pays) and resident size (VmRSS). Stopped with SIGTERM, then killed after 10 s. Main thread only.
 */
final class Child implements AutoCloseable {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ; Linux x86 exports 100 (getconf CLK_TCK)

    private final Process process;
    private final String name;
    private final Path log;

    private Child(Process process, String name, Path log) {
        this.process = process;
        this.name = name;
        this.log = log;
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    static Child start(String name, List<String> jvmFlags, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java().toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(args);
        Files.writeString(log, String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Child(p, name, log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** utime + stime of the process (all its threads), milliseconds; 10 ms resolution. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** VmRSS in KiB. */
    long rssKiB() throws IOException {
        return status("VmRSS:");
    }

    /** VmHWM (peak resident size) in KiB. */
    long peakRssKiB() throws IOException {
        return status("VmHWM:");
    }

    private long status(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.substring(key.length()).replace("kB", "").trim());
            }
        }
        throw new IOException(key + " not in /proc/" + pid() + "/status");
    }

    /** Runs jcmd against this child; returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid()));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                System.out.println("  " + name + " did not stop on SIGTERM within 10 s: killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
