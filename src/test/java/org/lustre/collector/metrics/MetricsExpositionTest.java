package org.lustre.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.service.Collector;
import org.lustre.collector.sim.SimulatedTree;

/**
 * The /metrics body put together from kept per-file-system lines says exactly what the Prometheus
 * client's writers say for all families written at once (same lines; families in another order,
 * which both formats allow), in both formats, plain and gzipped.
 */
class MetricsExpositionTest {
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static Path dir;
    private static SimulatedTree tree;
    private static Collector collector;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("exposition-");
        tree = SimulatedTree.create(dir.resolve("lustre"), 3, 12, "2.15");
        tree.ostDown(tree.fileSystems().get(1), 2);
        CollectorConfig config = ConfigLoader.fromValues(Map.of("lustre-root", tree.root().toString(), "kmsg", "none",
                "interval", "3600"));
        collector = new Collector(config);
        collector.start();
        MetricsEndpointTest.await(collector::ready, "first scan");
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        org.lustre.collector.TempTree.delete(dir);
    }

    /**
     * Every family as the client's own objects, the per-target ones included: what the client's
     * scrape handler would write.
     */
    static MetricSnapshots allFamilies(CollectorMetrics metrics, LustreSnapshot s) {
        List<MetricSnapshot> out = new ArrayList<>(metrics.exposition().fresh().stream().toList());
        List<GaugeDataPointSnapshot> up = new ArrayList<>();
        List<GaugeDataPointSnapshot> active = new ArrayList<>();
        for (String fs : s.fileSystems().keySet()) {
            TargetSeries.points(fs, s.nodesOf(fs), up, active);
        }
        out.add(new GaugeSnapshot(TargetSeries.UP, up));
        out.add(new GaugeSnapshot(TargetSeries.ACTIVE, active));
        return new MetricSnapshots(out);
    }

    private static List<String> sortedLines(byte[] body) {
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        Arrays.sort(lines);
        return List.of(lines);
    }

    private static byte[] bytes(MetricsExposition.Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        assertEquals(out.size(), body.length());
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void sameLinesAsTheClientsTextWriter() throws Exception {
        CollectorMetrics metrics = new CollectorMetrics(collector);
        ByteArrayOutputStream official = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(official, allFamilies(metrics, collector.snapshot()),
                EscapingScheme.ALLOW_UTF8);
        MetricsExposition.Body plain = MetricsExposition.body(metrics.exposition(), null, false);
        assertTrue(plain.contentType().startsWith("text/plain; version=0.0.4"), plain.contentType());
        byte[] composed = bytes(plain);
        assertEquals(sortedLines(official.toByteArray()), sortedLines(composed));
        String text = new String(composed, StandardCharsets.UTF_8);
        String down = SimulatedTree.targetName(tree.fileSystems().get(1), 2);
        assertTrue(text.contains("lustre_collector_target_up{fs=\"" + tree.fileSystems().get(1)
                + "\",kind=\"OST\",target=\"" + down + "\"} 0.0\n"), text);
        // each family's lines stay together under its own HELP and TYPE
        int type = text.indexOf("# TYPE lustre_collector_target_up gauge\n");
        int nextType = text.indexOf("# TYPE", type + 1);
        assertEquals(15, text.substring(type, nextType).split("\n").length - 2);

        MetricsExposition.Body gz = MetricsExposition.body(metrics.exposition(), "text/plain", true);
        assertArrayEquals(composed, gunzip(bytes(gz)));
    }

    @Test
    void sameLinesAsTheClientsOpenMetricsWriterWithEofLast() throws Exception {
        CollectorMetrics metrics = new CollectorMetrics(collector);
        ByteArrayOutputStream official = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(official, allFamilies(metrics, collector.snapshot()),
                EscapingScheme.ALLOW_UTF8);
        MetricsExposition.Body om = MetricsExposition.body(metrics.exposition(), OPEN_METRICS, false);
        assertTrue(om.contentType().startsWith("application/openmetrics-text"), om.contentType());
        byte[] composed = bytes(om);
        assertEquals(sortedLines(official.toByteArray()), sortedLines(composed));
        assertTrue(new String(composed, StandardCharsets.UTF_8).endsWith("\n# EOF\n"));
        assertArrayEquals(composed, gunzip(bytes(MetricsExposition.body(metrics.exposition(), OPEN_METRICS, true))));
    }

    @Test
    void eachFileSystemsLinesFollowItsTargetsAndNoOthersChange() {
        TargetSeries series = new TargetSeries();
        LustreSnapshot before = collector.snapshot();
        TargetSeries.Families a = series.of(before);
        String fs0 = tree.fileSystems().get(0);
        String gone = SimulatedTree.targetName(fs0, 0);
        Map<String, Map<String, NodeState>> byFs = new TreeMap<>(before.nodesByFs());
        Map<String, NodeState> fewer = new TreeMap<>(byFs.get(fs0));
        assertNotNull(fewer.remove(gone), gone);
        byFs.put(fs0, fewer);
        TargetSeries.Families b = series.of(new LustreSnapshot(before.fileSystems(), byFs, "", "", 0, 0, 0));

        assertEquals(tree.fileSystems().size(), b.chunks().size());
        String fs0Before = up(a, 0);
        String fs0After = up(b, 0);
        assertTrue(fs0Before.contains("target=\"" + gone + "\""), fs0Before);
        assertFalse(fs0After.contains("target=\"" + gone + "\""), "the removed target's line is gone: " + fs0After);
        assertEquals(fs0Before.lines().count() - 1, fs0After.lines().count());
        for (int i = 1; i < b.chunks().size(); i++) {
            assertEquals(up(a, i), up(b, i), "file system " + i + " did not change, nor do its lines");
        }
        assertEquals(up(a, 0), up(series.of(before), 0), "the first snapshot again: its lines again");
    }

    private static String up(TargetSeries.Families f, int chunk) {
        return new String(TargetSeries.text(f.chunks().get(chunk).upGzip()), StandardCharsets.UTF_8);
    }
}
