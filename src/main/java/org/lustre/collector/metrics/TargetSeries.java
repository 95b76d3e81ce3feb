package org.lustre.collector.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;

/**
 * The per-target series (target_up and target_active, labels fs, kind, target), kept per file
 * system and rebuilt only for the file systems whose targets changed.
 * <p>
 * Why: at 100,000 OSTs these are 200,000 series, ~15 MB of text; the Prometheus client's writer
 * takes ~170 ms of CPU for them and gzip another ~130 ms, far above a scrape budget of 50 ms. But
 * the scanner hands on a file system's node map unchanged (the same object) while none of its
 * targets changed, and a scan changes a few file systems at most. So each file system's lines are
 * written once, by the client's own text writer, and gzipped once, and a scrape concatenates them
 * ({@link MetricsExposition}): a gzip body may be several members (RFC 1952), which Prometheus'
 * reader and Java's GZIPInputStream read as one stream.
 * <p>Thread-safe: scrapes may run concurrently; a chunk is immutable, the maps are concurrent.
 */
final class TargetSeries {
    static final MetricMetadata UP = CollectorMetrics.meta("target_up",
            "1 when the target responds (active and import FULL), else 0.");
    static final MetricMetadata ACTIVE = CollectorMetrics.meta("target_active",
            "1 when the target is ACTIVE in target_obd, 0 when deactivated.");

    /**
     * One file system's series: how many, and their text lines (no HELP/TYPE) gzipped. Only the
     * gzipped lines are kept (~0.6 MB at 100,000 OSTs, where the text is ~15 MB and the client's
     * point objects ~40 MB: held in the collector's 192 MiB heap, those would make a storm's
     * collections full ones); a plain scrape inflates them ({@link #text}).
     */
    record Chunk(Map<String, NodeState> nodes, int points, int notResponding, byte[] upGzip, byte[] activeGzip) {
    }

    /** A snapshot's chunks in file-system order. */
    record Families(List<Chunk> chunks, Map<String, Integer> notResponding, int points) {
    }

    private record Cached(LustreSnapshot snapshot, Families families) {
    }

    private final Map<String, Chunk> byFs = new ConcurrentHashMap<>();
    private volatile Cached cached = new Cached(null, null);

    Families of(LustreSnapshot s) {
        Cached c = cached;
        if (c.snapshot() == s) {
            return c.families();
        }
        List<Chunk> chunks = new ArrayList<>(s.fileSystems().size());
        Map<String, Integer> down = new HashMap<>();
        int points = 0;
        for (String fs : s.fileSystems().keySet()) {
            Map<String, NodeState> nodes = s.nodesOf(fs);
            Chunk chunk = byFs.get(fs);
            if (chunk == null || chunk.nodes() != nodes) {
                chunk = build(fs, nodes);
                byFs.put(fs, chunk);
            }
            chunks.add(chunk);
            down.put(fs, chunk.notResponding());
            points += chunk.points();
        }
        byFs.keySet().retainAll(s.fileSystems().keySet());
        Families f = new Families(List.copyOf(chunks), Map.copyOf(down), points);
        cached = new Cached(s, f);
        return f;
    }

    private static Chunk build(String fs, Map<String, NodeState> nodes) {
        List<GaugeDataPointSnapshot> up = new ArrayList<>(nodes.size());
        List<GaugeDataPointSnapshot> active = new ArrayList<>(nodes.size());
        points(fs, nodes, up, active);
        int notResponding = (int) nodes.values().stream().filter(n -> !n.responding()).count();
        return new Chunk(nodes, up.size(), notResponding, gzip(lines(UP, up)), gzip(lines(ACTIVE, active)));
    }

    /** A file system's target_up and target_active points, in target-name order. */
    static void points(String fs, Map<String, NodeState> nodes, List<GaugeDataPointSnapshot> up,
                       List<GaugeDataPointSnapshot> active) {
        for (NodeState node : new TreeMap<>(nodes).values()) {
            // One label set for both series; names in the order Labels sorts them (fs, kind, target).
            Labels l = Labels.of("fs", fs, "kind", node.kind(), "target", node.name());
            up.add(CollectorMetrics.point(node.responding() ? 1 : 0, l));
            active.add(CollectorMetrics.point(node.active() ? 1 : 0, l));
        }
    }

    /** The family's HELP and TYPE lines, as the client's text writer writes them. */
    static byte[] header(MetricMetadata meta) {
        byte[] all = write(meta, List.of(CollectorMetrics.point(0, Labels.EMPTY)));
        return Arrays.copyOf(all, afterLines(all, 2));
    }

    /** The sample lines of one family, without its HELP and TYPE lines; empty for no points. */
    private static byte[] lines(MetricMetadata meta, List<GaugeDataPointSnapshot> points) {
        if (points.isEmpty()) {
            return new byte[0];
        }
        byte[] all = write(meta, points);
        return Arrays.copyOfRange(all, afterLines(all, 2), all.length);
    }

    private static byte[] write(MetricMetadata meta, List<GaugeDataPointSnapshot> points) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80 * points.size() + 256);
        try {
            PrometheusTextFormatWriter.create().write(out, MetricSnapshots.of(new GaugeSnapshot(meta, points)),
                    EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    private static int afterLines(byte[] b, int lines) {
        int seen = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && ++seen == lines) {
                return i + 1;
            }
        }
        throw new IllegalStateException("the text writer wrote fewer than " + lines + " lines");
    }

    /** The text of gzipped lines (a plain scrape; Prometheus asks for gzip). */
    static byte[] text(byte[] gzipped) {
        if (gzipped.length == 0) {
            return gzipped;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 1 << 14)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // our own gzip of a byte array
        }
    }

    static byte[] gzip(byte[] text) {
        if (text.length == 0) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length / 16 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 14)) {
            z.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
