package org.lustre.collector.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows and notes of one benchmark run, written as BENCHMARKS.md. Each figure is given with the
 * baseline measured in the same run and their ratio, because the machines are shared and noisy.
 * Main thread only.
 */
final class Report {
    /** One figure. {@code status} is "met", "missed" or "info" (no target). */
    record Row(String figure, String value, String baseline, String ratio, String target, String status) {
    }

    private final Map<String, List<Row>> sections = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final List<String> profiles = new ArrayList<>();
    private final List<String> setup = new ArrayList<>();
    private final Map<String, String> reasons = new java.util.HashMap<>();
    private final long startedNanos = System.nanoTime();

    /** Declares a section, so sections print in the order declared whatever order rows come in. */
    void section(String name) {
        sections.computeIfAbsent(name, k -> new ArrayList<>());
    }

    void row(String section, String figure, String value, String baseline, String ratio, String target,
             String status) {
        sections.computeIfAbsent(section, k -> new ArrayList<>())
                .add(new Row(figure, value, baseline, ratio, target, status));
        System.out.printf(Locale.ROOT, "  [%s] %s = %s (baseline %s, ratio %s, target %s) %s%n", section, figure,
                value, baseline, ratio, target, status);
    }

    void note(String section, String text) {
        sections.computeIfAbsent(section, k -> new ArrayList<>());
        notes.computeIfAbsent(section, k -> new ArrayList<>()).add(text);
        System.out.println("  [" + section + "] " + text);
    }

    /**
     * Why the row with this figure would miss its target, from what this run measured: printed
     * beside it in the summary of missed targets (only when it does miss).
     */
    void explain(String figure, String why) {
        reasons.put(figure, why);
    }

    void setup(String line) {
        setup.add(line);
    }

    /** A profile summary (markdown) for a missed target. */
    void profile(String markdown) {
        profiles.add(markdown);
    }

    static String status(boolean met) {
        return met ? "met" : "**missed**";
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    void write(Path file, List<String> flags) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Written by `bash bench/run.sh` (the harness in `bench/java`); do not edit by hand: run it again.\n");
        b.append("The machine is shared and noisy (other builds run on the same 2 cores), so every figure comes with a\n");
        b.append("baseline measured in the same run, side by side or alternating, and the ratio of the two.\n\n");
        b.append("| | |\n|---|---|\n");
        b.append("| date | ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(" |\n");
        b.append("| CPU | ").append(Machine.cpuModel()).append(" |\n");
        b.append("| cores | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        b.append("| memory | ").append(Machine.memTotal()).append(" |\n");
        b.append("| OS | ").append(Machine.os()).append(" |\n");
        b.append("| JVM | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        b.append("| harness JVM flags | `").append(String.join(" ",
                ManagementFactory.getRuntimeMXBean().getInputArguments())).append("` |\n");
        b.append("| packaged collector JVM flags | `").append(String.join(" ", flags)).append("` |\n");
        for (String s : setup) {
            b.append(s).append('\n');
        }
        b.append("| run time | ").append((System.nanoTime() - startedNanos) / 1_000_000_000L).append(" s |\n\n");
        missed(b);

        for (Map.Entry<String, List<Row>> e : sections.entrySet()) {
            b.append("## ").append(e.getKey()).append("\n\n");
            if (!e.getValue().isEmpty()) {
                b.append("| figure | value | baseline | ratio | target | |\n|---|---|---|---|---|---|\n");
                for (Row r : e.getValue()) {
                    b.append("| ").append(r.figure()).append(" | ").append(r.value()).append(" | ")
                            .append(r.baseline()).append(" | ").append(r.ratio()).append(" | ")
                            .append(r.target()).append(" | ").append(r.status()).append(" |\n");
                }
                b.append('\n');
            }
            for (String n : notes.getOrDefault(e.getKey(), List.of())) {
                b.append(n).append("\n\n");
            }
        }
        if (!profiles.isEmpty()) {
            b.append("## Profiles of the missed targets\n\n");
            for (String p : profiles) {
                b.append(p).append("\n\n");
            }
        }
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    /** Every missed target first, each with its value, its target and why, so nobody has to hunt for them. */
    private void missed(StringBuilder b) {
        StringBuilder rows = new StringBuilder();
        sections.forEach((section, list) -> {
            for (Row r : list) {
                if (r.status().contains("missed")) {
                    rows.append("| ").append(section.replaceFirst("\\..*", "")).append(" | ").append(r.figure())
                            .append(" | ").append(r.value()).append(" | ").append(r.target()).append(" | ")
                            .append(reasons.getOrDefault(r.figure(), "no reason measured in this run: see the "
                                    + "section's notes and the profiles at the end")).append(" |\n");
                }
            }
        });
        b.append("## Targets missed: by how much, and why\n\n");
        if (rows.isEmpty()) {
            b.append("None.\n\n");
            return;
        }
        b.append("| section | figure | value | target | why |\n|---|---|---|---|---|\n").append(rows).append('\n');
    }
}
