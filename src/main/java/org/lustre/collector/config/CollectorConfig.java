package org.lustre.collector.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated, frozen configuration of one collector. Immutable; any thread may read it.
 * Optional paths are null when off (trap-file empty or "none", kmsg "none").
 *
 * @param origins where each option's value came from ("default", "command line", "file:line")
 */
public record CollectorConfig(int port, String host, boolean daemon, Path filename, int maxTraps,
                              int intervalSeconds, Path lustreRoot, Path trapFile, Path kmsg,
                              List<String> allow, int ajpPort, Path ajpSecretFile, Path pidFile,
                              Path logFile, boolean allowRoot, Map<Option, String> origins) {

    public CollectorConfig {
        allow = List.copyOf(allow);
        origins = Map.copyOf(origins);
    }

    /** The defaults of the option table, as a start for tests and the demo. */
    public static CollectorConfig defaults() {
        try {
            return ConfigLoader.fromValues(Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("the option table's defaults do not validate", e);
        }
    }

    public CollectorConfig withPort(int newPort) {
        return new CollectorConfig(newPort, host, daemon, filename, maxTraps, intervalSeconds, lustreRoot,
                trapFile, kmsg, allow, ajpPort, ajpSecretFile, pidFile, logFile, allowRoot, origins);
    }

    public CollectorConfig withSources(Path newLustreRoot, Path newTrapFile, Path newKmsg) {
        return new CollectorConfig(port, host, daemon, filename, maxTraps, intervalSeconds, newLustreRoot,
                newTrapFile, newKmsg, allow, ajpPort, ajpSecretFile, pidFile, logFile, allowRoot, origins);
    }
}
