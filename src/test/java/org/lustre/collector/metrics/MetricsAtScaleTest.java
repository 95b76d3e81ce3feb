package org.lustre.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.service.Collector;
import org.lustre.collector.sim.SimulatedTree;

/**
 * One scrape of a collector watching 100 file systems and 100,000 OSTs (the simulated 2.15 tree in
 * memory): every target's two series are there, and the CPU and body size of a scrape are printed
 * (the figures in BENCHMARKS.md come from here). No timing assertion: the machine is shared.
 */
class MetricsAtScaleTest {
    @Test
    void aScrapeAtHundredThousandOsts() throws Exception {
        try (FileSystem memory = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(256)
                .setMaxSize(4L << 30).build())) {
            Path root = memory.getPath("/mds");
            SimulatedTree.create(root, 100, 100_000, "2.15");
            CollectorConfig config = ConfigLoader.fromValues(Map.of("kmsg", "none", "interval", "1"))
                    .withSources(root, null, null);
            try (Collector collector = new Collector(config)) {
                collector.start();
                long deadline = System.currentTimeMillis() + 120_000;
                while (!collector.ready() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(collector.ready(), "first scan");
                CollectorMetrics metrics = new CollectorMetrics(collector);
                MetricSnapshots all = MetricsExpositionTest.allFamilies(metrics, collector.snapshot());
                assertEquals(100_000 + 100, points(all, "lustre_collector_target_up"));
                assertEquals(100_000 + 100, points(all, "lustre_collector_target_active"));

                ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                int rounds = 9;
                long[] plain = new long[rounds];
                long[] gzip = new long[rounds];
                long[] afterScan = new long[rounds];
                int[] rebuilt = new int[rounds];
                long bodySize = 0;
                long gzipSize = 0;
                LustreSnapshot s = collector.snapshot();
                for (int i = 0; i < rounds; i++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    bodySize = drain(MetricsExposition.body(metrics.exposition(), null, false));
                    plain[i] = cpu.getCurrentThreadCpuTime() - t0;
                    t0 = cpu.getCurrentThreadCpuTime();
                    gzipSize = drain(MetricsExposition.body(metrics.exposition(), null, true));
                    gzip[i] = cpu.getCurrentThreadCpuTime() - t0;
                }
                // The watcher scans every second here: the first scrape after each new snapshot writes
                // again the lines of the file systems whose targets the scan changed.
                for (int i = 0; i < rounds; i++) {
                    LustreSnapshot before = collector.snapshot();
                    List<TargetSeries.Chunk> old = metrics.exposition().targets().chunks();
                    long wait = System.currentTimeMillis() + 60_000;
                    while (collector.snapshot() == before && System.currentTimeMillis() < wait) {
                        Thread.sleep(20);
                    }
                    long t0 = cpu.getCurrentThreadCpuTime();
                    MetricsExposition.Parts parts = metrics.exposition();
                    drain(MetricsExposition.body(parts, null, true));
                    afterScan[i] = cpu.getCurrentThreadCpuTime() - t0;
                    for (int c = 0; c < old.size(); c++) {
                        rebuilt[i] += old.get(c) == parts.targets().chunks().get(c) ? 0 : 1;
                    }
                }
                long[] fresh = new long[3];
                for (int i = 0; i < fresh.length; i++) {
                    CollectorMetrics cold = new CollectorMetrics(collector);
                    long t0 = cpu.getCurrentThreadCpuTime();
                    drain(MetricsExposition.body(cold.exposition(), null, true));
                    fresh[i] = cpu.getCurrentThreadCpuTime() - t0;
                }
                long[] official = new long[3];
                for (int i = 0; i < official.length; i++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    MetricSnapshots families = MetricsExpositionTest.allFamilies(metrics, collector.snapshot());
                    PrometheusTextFormatWriter.create().write(new ByteArrayOutputStream(1 << 24), families,
                            EscapingScheme.ALLOW_UTF8);
                    official[i] = cpu.getCurrentThreadCpuTime() - t0;
                }
                System.out.printf("/metrics at 100,000 OSTs: body %,d bytes (gzip %,d); CPU per scrape, median of %d: "
                                + "%.1f ms plain, %.1f ms gzip; per-target lines of every file system written and "
                                + "gzipped again (first scrape) %.0f ms; first scrape after a scan (%s file systems changed): "
                                + "%.1f ms gzip; the client's writer over all families at once: %.0f ms plain%n",
                        bodySize, gzipSize, rounds, median(plain) / 1e6, median(gzip) / 1e6, median(fresh) / 1e6,
                        Arrays.toString(rebuilt), median(afterScan) / 1e6, median(official) / 1e6);
            }
        }
    }

    private static int points(MetricSnapshots snapshots, String name) {
        for (MetricSnapshot m : snapshots) {
            if (m.getMetadata().getName().equals(name)) {
                return ((GaugeSnapshot) m).getDataPoints().size();
            }
        }
        return -1;
    }

    /** Writes the body where a socket would take it (a reused buffer), returning its length. */
    private static long drain(MetricsExposition.Body body) throws java.io.IOException {
        body.writeTo(java.io.OutputStream.nullOutputStream());
        return body.length();
    }

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
