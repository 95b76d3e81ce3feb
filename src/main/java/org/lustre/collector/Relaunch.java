package org.lustre.collector;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the collector in a second JVM with {@link JvmFlags}' flags when {@code java -jar} was given
 * none (a JVM cannot change its own heap or compiler once started). The first JVM stays as the
 * parent: the child shares its terminal (standard input, output and error), the parent's exit code
 * is the child's, and a SIGTERM or Ctrl-C to the parent stops the child first (its shutdown hook).
 * Main thread only, plus the shutdown hook.
 */
final class Relaunch {
    /** The collector's own stop takes a few seconds (Tomcat, the watcher); after this it is killed. */
    private static final int STOP_SECONDS = 30;

    private Relaunch() {
    }

    /** The flags to relaunch with, from this JVM's flags and the environment; empty = run here. */
    static Optional<List<String>> flags() {
        return JvmFlags.inputArguments().flatMap(input -> JvmFlags.forCollector(input, System.getenv()));
    }

    /** Starts the child and waits for it; its exit code, or 1 when it could not start. */
    static int run(List<String> flags, String[] args, PrintStream err) {
        String java = JvmFlags.java();
        Process child;
        try {
            child = new ProcessBuilder(JvmFlags.command(java, flags, System.getProperty("java.class.path"), args))
                    .inheritIO().start();
        } catch (IOException e) {
            err.println("lustre-collector: cannot start the collector's JVM (" + java + "): " + e.getMessage()
                    + "; set " + JvmFlags.ENV + "=" + JvmFlags.OPT_OUT + " to run in this one");
            return 1;
        }
        // From here this JVM only waits: a full collection gives back the heap its start-up used (~10 MiB).
        System.gc();
        Thread stop = new Thread(() -> stop(child), "relaunch-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return 1;
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook stops the child
            return 1;
        }
    }

    private static void stop(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
