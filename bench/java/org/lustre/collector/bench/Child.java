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
        return start(name, jvmFlags, args, log, java.util.Map.of());
    }

    /** As {@link #start(String, List, List, Path)} with environment variables set (the bench's own removed). */
    static Child start(String name, List<String> jvmFlags, List<String> args, Path log,
                       java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java().toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(args);
        Files.writeString(log, env + " " + String.join(" ", cmd) + "\n");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove(Setup.JAVA_OPTS_ENV);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().putAll(env);
        return new Child(pb.start(), name, log);
    }

    /** Any command (not a JVM), output to {@code log}. */
    static Child command(String name, List<String> cmd, Path log) throws IOException {
        Files.writeString(log, String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Child(p, name, log);
    }

    /**
     * The pid of the JVM that runs the collector: the relaunched child when the jar relaunched
     * itself (the deepest live descendant), else this process.
     */
    long jvmPid() {
        long pid = pid();
        List<ProcessHandle> d = process.descendants().filter(ProcessHandle::isAlive).toList();
        return d.isEmpty() ? pid : d.get(d.size() - 1).pid();
    }

    /** The pids of this process and its live descendants. */
    private List<Long> tree() {
        List<Long> pids = new ArrayList<>();
        pids.add(pid());
        process.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
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

    /**
     * utime + stime of the process and its live descendants (all their threads), plus what the
     * children it waited for used (cutime + cstime: a shell loop's commands); milliseconds, 10 ms
     * resolution.
     */
    long cpuMillis() throws IOException {
        long ticks = 0;
        for (long pid : tree()) {
            String stat;
            try {
                stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // exited meanwhile
            } catch (IOException e) {
                if ("No such process".equals(e.getMessage())) {
                    continue; // exited between the open and the read (a shell loop's short-lived commands)
                }
                throw e;
            }
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 to 17: utime, stime, cutime, cstime
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /**
     * CPU of the collector JVM's threads whose name starts with {@code prefix} (the OS thread name,
     * /proc/PID/task/TID/comm, which the JVM sets to the Java name cut to 15 characters); ms.
     */
    long threadCpuMillis(String prefix) throws IOException {
        long ticks = 0;
        Path tasks = Path.of("/proc/" + jvmPid() + "/task");
        try (java.util.stream.Stream<Path> s = Files.list(tasks)) {
            for (Path t : s.toList()) {
                try {
                    if (!Files.readString(t.resolve("comm")).trim().startsWith(prefix)) {
                        continue;
                    }
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (java.nio.file.NoSuchFileException e) {
                    // thread ended meanwhile
                }
            }
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** VmRSS in KiB, this process and its descendants together. */
    long rssKiB() throws IOException {
        return status("VmRSS:");
    }

    /** VmRSS in KiB of this process alone (the relaunching parent without its child). */
    long ownRssKiB() throws IOException {
        return status(pid(), "VmRSS:");
    }

    /** VmHWM (peak resident size) in KiB, summed over this process and its descendants. */
    long peakRssKiB() throws IOException {
        return status("VmHWM:");
    }

    private long status(String key) throws IOException {
        long sum = 0;
        for (long pid : tree()) {
            try {
                sum += status(pid, key);
            } catch (java.nio.file.NoSuchFileException e) {
                // exited meanwhile
            }
        }
        return sum;
    }

    private static long status(long pid, String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.substring(key.length()).replace("kB", "").trim());
            }
        }
        throw new IOException(key + " not in /proc/" + pid + "/status");
    }

    /**
     * Live heap after a full collection, KiB, -1 when unreadable: jcmd GC.class_histogram collects
     * first and then counts only what survived, so young-generation garbage allocated between two
     * jcmd calls does not count (GC.heap_info's "used" right after GC.run does count it).
     */
    long heapAfterGcKiB() throws IOException, InterruptedException {
        return heapAfterGc(new java.util.HashMap<>());
    }

    /** As {@link #heapAfterGcKiB()}, filling {@code byClass} with each class's live bytes. */
    long heapAfterGc(java.util.Map<String, Long> byClass) throws IOException, InterruptedException {
        String histogram = jcmd("GC.class_histogram");
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)")
                .matcher(histogram);
        while (row.find()) {
            byClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$")
                .matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    /** Runs jcmd against the JVM that runs the collector ({@link #jvmPid()}); returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(jvmPid()));
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
        // the relaunching parent stops its child itself; a shell loop's commands are stopped here
        process.descendants().filter(h -> !h.info().command().orElse("").endsWith("java")).forEach(ProcessHandle::destroy);
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
