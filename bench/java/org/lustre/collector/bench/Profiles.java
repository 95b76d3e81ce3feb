package org.lustre.collector.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes a JFR recording's execution samples ({@code jdk.ExecutionSample}, what
 * {@code jfr print --events jdk.ExecutionSample} lists) as markdown: the hottest top frames, and
 * the hottest frames of the collector's own code (first {@code org.lustre} frame of each sample),
 * which say where the time goes in our terms. Any thread.
 */
final class Profiles {
    private Profiles() {
    }

    static String summarize(String title, Path jfr, Predicate<String> threadFilter, int top) throws IOException {
        Map<String, Integer> leaf = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        Map<String, Integer> paths = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "" : e.getThread("sampledThread").getJavaName();
            if (thread == null || !threadFilter.test(thread)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            leaf.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
            for (int i = 0; i < frames.size(); i++) {
                String n = name(frames.get(i).getMethod());
                if (n.startsWith("org.lustre.collector.")) {
                    ours.merge(n.substring("org.lustre.collector.".length()), 1, Integer::sum);
                    StringBuilder p = new StringBuilder();
                    for (int j = Math.min(i, 3); j >= 0; j--) {
                        p.append(short_(name(frames.get(j).getMethod())));
                        if (j > 0) {
                            p.append(" > ");
                        }
                    }
                    paths.merge(p.toString(), 1, Integer::sum);
                    break;
                }
            }
        }
        StringBuilder b = new StringBuilder("### ").append(title).append("\n\n");
        b.append(samples).append(" execution samples (`").append(jfr.getFileName())
                .append("`, kept in the bench work directory).\n\n");
        table(b, "hottest top frame", leaf, samples, top);
        table(b, "first frame of the collector's code (org.lustre.collector.)", ours, samples, top);
        table(b, "path from the collector's frame to the top frame", paths, samples, top);
        return b.toString();
    }

    private static void table(StringBuilder b, String what, Map<String, Integer> counts, int total, int top) {
        b.append("| ").append(what).append(" | samples | share |\n|---|---|---|\n");
        counts.entrySet().stream().sorted((x, y) -> y.getValue() - x.getValue()).limit(top)
                .forEach(e -> b.append("| `").append(e.getKey()).append("` | ").append(e.getValue()).append(" | ")
                        .append(Report.f("%.0f%%", 100.0 * e.getValue() / Math.max(1, total))).append(" |\n"));
        b.append('\n');
    }

    private static String name(RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }

    private static String short_(String n) {
        int dot = n.lastIndexOf('.');
        int dot2 = n.lastIndexOf('.', dot - 1);
        return dot2 < 0 ? n : n.substring(dot2 + 1);
    }
}
