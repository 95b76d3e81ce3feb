package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the report says about the machine, from /proc (Linux only). Any thread. */
final class Machine {
    private Machine() {
    }

    static String cpuModel() {
        return field(Path.of("/proc/cpuinfo"), "model name");
    }

    static String memTotal() {
        String kb = field(Path.of("/proc/meminfo"), "MemTotal");
        try {
            return (Long.parseLong(kb.replace("kB", "").trim()) / 1024) + " MiB";
        } catch (NumberFormatException e) {
            return kb;
        }
    }

    static String os() {
        String pretty = "";
        try {
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    pretty = l.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            pretty = System.getProperty("os.name");
        }
        return pretty + ", kernel " + System.getProperty("os.version");
    }

    private static String field(Path file, String name) {
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.startsWith(name)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: the report says unknown
        }
        return "unknown";
    }
}
