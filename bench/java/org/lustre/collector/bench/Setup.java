package org.lustre.collector.bench;

import java.util.List;
import java.util.Map;

/**
 * One way to start the collector's JVM, measured side by side with the others in one run.
 *
 * @param name    short label used in the report's rows
 * @param command how a user starts it, for the report
 * @param flags   JVM flags before {@code -jar}
 * @param env     environment variables set for it ({@code LUSTRE_COLLECTOR_JAVA_OPTS} is removed
 *                from the inherited environment unless given here)
 */
record Setup(String name, String command, List<String> flags, Map<String, String> env) {
    static final String JAVA_OPTS_ENV = "LUSTRE_COLLECTOR_JAVA_OPTS";

    /** The README's command: no JVM flag (the jar relaunches itself with the packaged flags). */
    static Setup plain() {
        return new Setup("plain", "`java -jar lustre-collector.jar` (no flags: the jar relaunches itself with the "
                + "packaged flags; parent and child JVM counted together)", List.of(), Map.of());
    }

    /** The systemd unit's and init script's flags. */
    static Setup packaged(List<String> flags) {
        return new Setup("packaged", "`java " + String.join(" ", flags) + " -jar lustre-collector.jar` (systemd "
                + "unit, init script)", flags, Map.of());
    }

    /** The JVM's own defaults (C2, G1, a heap of 1/4 of RAM): what the plain command ran before the relaunch. */
    static Setup jvmDefaults() {
        return new Setup("JVM defaults", "`LUSTRE_COLLECTOR_JAVA_OPTS=none java -jar lustre-collector.jar` (no "
                + "relaunch: G1, C2, heap up to 1/4 of RAM)", List.of(), Map.of(JAVA_OPTS_ENV, "none"));
    }

    /** "[plain] " before a figure. */
    String tag() {
        return "[" + name + "] ";
    }
}
