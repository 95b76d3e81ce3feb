package org.lustre.collector.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * One /metrics answer: the small families written at each scrape by the Prometheus client's
 * writer, then the per-target lines that {@link TargetSeries} keeps per file system, then
 * OpenMetrics' "# EOF". Both formats write a gauge's HELP, TYPE and sample lines alike, so the
 * kept lines serve both. Gzipped, the body is a series of gzip members: the fresh part is
 * compressed per scrape (a few KB), the kept lines were compressed when kept. Stateless; any thread.
 */
final class MetricsExposition {
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UP_HEADER = TargetSeries.header(TargetSeries.UP);
    private static final byte[] ACTIVE_HEADER = TargetSeries.header(TargetSeries.ACTIVE);
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
    private static final OpenMetricsTextFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    /** What one scrape read: the fresh families and the per-target series. */
    record Parts(MetricSnapshots fresh, TargetSeries.Families targets) {
    }

    /** A body ready to send: its content type and the byte arrays to write in order. */
    record Body(String contentType, boolean gzip, List<byte[]> pieces) {
        long length() {
            return pieces.stream().mapToLong(p -> p.length).sum();
        }

        void writeTo(OutputStream out) throws IOException {
            for (byte[] p : pieces) {
                out.write(p);
            }
        }
    }

    private MetricsExposition() {
    }

    static Body body(Parts parts, String accept, boolean gzip) throws IOException {
        // the writer the client's scrape handler would pick (protobuf is not offered)
        boolean openMetrics = OPEN_METRICS.accepts(accept);
        ExpositionFormatWriter writer = openMetrics ? OPEN_METRICS : TEXT;
        ByteArrayOutputStream fresh = new ByteArrayOutputStream(16 * 1024);
        writer.write(fresh, parts.fresh(), EscapingScheme.fromAcceptHeader(accept));
        byte[] head = fresh.toByteArray();
        if (openMetrics && endsWith(head, EOF)) {
            head = Arrays.copyOf(head, head.length - EOF.length);
        }
        List<TargetSeries.Chunk> chunks = parts.targets().chunks();
        boolean any = parts.targets().points() > 0;
        List<byte[]> pieces = new ArrayList<>(2 * chunks.size() + 4);
        pieces.add(piece(any ? concat(head, UP_HEADER) : head, gzip));
        if (any) {
            chunks.forEach(c -> pieces.add(gzip ? c.upGzip() : TargetSeries.text(c.upGzip())));
            pieces.add(piece(ACTIVE_HEADER, gzip));
            chunks.forEach(c -> pieces.add(gzip ? c.activeGzip() : TargetSeries.text(c.activeGzip())));
        }
        if (openMetrics) {
            pieces.add(piece(EOF, gzip));
        }
        return new Body(writer.getContentType(), gzip, pieces);
    }

    /** Fresh text as one piece of the body: its own gzip member when the body is gzipped. */
    private static byte[] piece(byte[] text, boolean gzip) {
        return gzip ? TargetSeries.gzip(text) : text;
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        return b.length >= suffix.length
                && Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
