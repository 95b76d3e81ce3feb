package org.lustre.collector;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which JVM flags the collector runs with when started as {@code java -jar lustre-collector.jar}
 * with none. The JVM's defaults size the heap at a quarter of the machine's memory and compile
 * with C2 and G1; BENCHMARKS.md measures what that costs at 100,000 OSTs beside the packaged flags
 * (systemd unit, init script), which this class holds too. No side effects.
 */
final class JvmFlags {
    /** Flags for the relaunched JVM instead of {@link #PACKAGED}; {@value #OPT_OUT} = no relaunch. */
    static final String ENV = "LUSTRE_COLLECTOR_JAVA_OPTS";
    static final String OPT_OUT = "none";
    /** Set on the relaunched JVM, so it never relaunches again. */
    static final String RELAUNCHED_PROPERTY = "lustre.collector.relaunched";

    /** The flags of conf/lustre-collector.service and conf/lustre-collector.init (a test keeps them equal). */
    static final List<String> PACKAGED = List.of("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MinHeapFreeRatio=40", "-XX:MaxHeapFreeRatio=70",
            "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=32m", "-Xss512k", "-XX:-UsePerfData",
            "-XX:+ExitOnOutOfMemoryError");

    private JvmFlags() {
    }

    /**
     * The flags to start the collector's JVM with, or empty when this JVM runs it as it is: when it
     * was started with any JVM flag of its own (the administrator chose), when it is already the
     * relaunched or daemon child, or when {@value #ENV} is {@value #OPT_OUT}.
     *
     * @param inputArguments this JVM's flags (RuntimeMXBean input arguments, JAVA_TOOL_OPTIONS included)
     * @param env            the environment ({@value #ENV})
     */
    static Optional<List<String>> forCollector(List<String> inputArguments, Map<String, String> env) {
        // The relaunched JVM and the daemon's child have flags too: their marker properties.
        if (!inputArguments.isEmpty()) {
            return Optional.empty();
        }
        String own = env.get(ENV);
        if (own == null || own.isBlank()) {
            return Optional.of(PACKAGED);
        }
        if (own.trim().equals(OPT_OUT)) {
            return Optional.empty();
        }
        return Optional.of(List.of(own.trim().split("\\s+")));
    }

    /** This JVM's flags; empty when java.management is absent (a trimmed runtime). */
    static Optional<List<String>> inputArguments() {
        try {
            return Optional.of(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The java executable running this JVM, to start the second one with. */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The relaunched JVM's command line: java, the flags, the marker, the class path, Main and the arguments. */
    static List<String> command(String java, List<String> flags, String classPath, String[] args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.add("-D" + RELAUNCHED_PROPERTY + "=true");
        cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
