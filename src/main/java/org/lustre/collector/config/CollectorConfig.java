package org.lustre.collector.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.lustre.collector.trap.Category;

/**
 * The validated, frozen configuration of one collector. Immutable; any thread may read it.
 * Optional paths are null when off (trap-file empty or "none", kmsg "none").
 *
 * @param sweepSeconds every OST's connection state is re-read within this period
 * @param acceptHosts  Host header names accepted (lower case, no port); empty = any
 * @param alertmanagers Alertmanager base URLs (http or https) traps are pushed to; empty = off
 * @param alertMinCategory lowest category pushed as an alert
 * @param syslog       where every trap is forwarded as RFC 5424 syslog; null = off
 * @param origins where each option's value came from ("default", "command line", "file:line")
 */
public record CollectorConfig(int port, String host, boolean daemon, Path filename, int maxTraps,
                              int intervalSeconds, Path lustreRoot, Path trapFile, Path kmsg,
                              List<String> allow, int ajpPort, Path ajpSecretFile, Path pidFile,
                              Path logFile, boolean allowRoot, int sweepSeconds, List<String> acceptHosts,
                              List<URI> alertmanagers, Category alertMinCategory, SyslogAddress syslog,
                              Map<Option, String> origins) {

    public CollectorConfig {
        allow = List.copyOf(allow);
        acceptHosts = List.copyOf(acceptHosts);
        alertmanagers = List.copyOf(alertmanagers);
        origins = Map.copyOf(origins);
    }

    public CollectorConfig withSources(Path newLustreRoot, Path newTrapFile, Path newKmsg) {
        return new CollectorConfig(port, host, daemon, filename, maxTraps, intervalSeconds, newLustreRoot,
                newTrapFile, newKmsg, allow, ajpPort, ajpSecretFile, pidFile, logFile, allowRoot, sweepSeconds,
                acceptHosts, alertmanagers, alertMinCategory, syslog, origins);
    }
}
