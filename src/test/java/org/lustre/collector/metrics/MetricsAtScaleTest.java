package org.lustre.collector.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
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
            CollectorConfig config = ConfigLoader.fromValues(Map.of("kmsg", "none", "interval", "3600"))
                    .withSources(root, null, null);
            try (Collector collector = new Collector(config)) {
                collector.start();
                long deadline = System.currentTimeMillis() + 120_000;
                while (!collector.ready() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(collector.ready(), "first scan");
                PrometheusRegistry registry = new PrometheusRegistry();
                CollectorMetrics metrics = new CollectorMetrics(collector, () -> "2.15.5");
                registry.register(metrics);
                PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

                MetricSnapshots first = registry.scrape();
                assertEquals(100_000 + 100, points(first, "lustre_collector_target_up"));
                assertEquals(100_000 + 100, points(first, "lustre_collector_target_active"));

                ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
                int rounds = 15;
                long[] plain = new long[rounds];
                long[] gzip = new long[rounds];
                long[] fresh = new long[5];
                int bodySize = 0;
                int gzipSize = 0;
                for (int i = 0; i < rounds; i++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24);
                    writer.write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
                    plain[i] = cpu.getCurrentThreadCpuTime() - t0;
                    bodySize = out.size();
                    t0 = cpu.getCurrentThreadCpuTime();
                    ByteArrayOutputStream zipped = new ByteArrayOutputStream(1 << 22);
                    try (GZIPOutputStream z = new GZIPOutputStream(zipped, 1 << 16)) {
                        writer.write(z, registry.scrape(), EscapingScheme.ALLOW_UTF8);
                    }
                    gzip[i] = cpu.getCurrentThreadCpuTime() - t0;
                    gzipSize = zipped.size();
                }
                long[] collectOnly = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    registry.scrape();
                    collectOnly[i] = cpu.getCurrentThreadCpuTime() - t0;
                }
                System.out.printf("collect only %.1f ms%n", median(collectOnly) / 1e6);
                for (int i = 0; i < fresh.length; i++) {
                    // a scrape right after a new snapshot: the per-target series built again
                    CollectorMetrics cold = new CollectorMetrics(collector, () -> "2.15.5");
                    long t0 = cpu.getCurrentThreadCpuTime();
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24);
                    writer.write(out, cold.collect(), EscapingScheme.ALLOW_UTF8);
                    fresh[i] = cpu.getCurrentThreadCpuTime() - t0;
                }
                System.out.printf("/metrics at 100,000 OSTs: body %,d bytes (gzip %,d); CPU per scrape, median of %d: "
                                + "%.1f ms plain, %.1f ms gzip; first scrape of a new snapshot %.1f ms plain%n",
                        bodySize, gzipSize, rounds, median(plain) / 1e6, median(gzip) / 1e6, median(fresh) / 1e6);
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

    private static long median(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
