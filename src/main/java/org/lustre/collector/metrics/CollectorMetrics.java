package org.lustre.collector.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.lustre.collector.Version;
import org.lustre.collector.forward.OutputStats;
import org.lustre.collector.lustre.FileSystemState;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.service.Collector;
import org.lustre.collector.source.SourceHealth;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapStore;

/**
 * The collector's state as Prometheus metrics, read at each scrape from the collector's current
 * snapshot and counters (nothing is kept between scrapes but {@link TargetSeries}' per-file-system cache). Every
 * name starts with {@code lustre_collector_}; the README's "Prometheus and Alertmanager" section
 * lists them with their labels, and they are a contract.
 * <p>
 * Cardinality at 100,000 OSTs: per target only its state (two series: up and active); space is
 * per file system (from the LOD), never per target. Trap counters are per file system and
 * category (at most 1,024 file systems: the store's own bound).
 * <p>Thread-safe: scrapes may run concurrently.
 */
public final class CollectorMetrics {
    static final String PREFIX = "lustre_collector_";

    private final Collector collector;
    private final TargetSeries targets = new TargetSeries();

    public CollectorMetrics(Collector collector) {
        this.collector = collector;
    }

    /** The families but the per-target ones, and the per-target lines ready to send. */
    MetricsExposition.Parts exposition() {
        LustreSnapshot s = collector.snapshot();
        TargetSeries.Families t = targets.of(s);
        return new MetricsExposition.Parts(new MetricSnapshots(collect(s, t)), t);
    }

    private List<MetricSnapshot> collect(LustreSnapshot s, TargetSeries.Families t) {
        List<MetricSnapshot> out = new ArrayList<>(40);
        out.add(new InfoSnapshot(meta("", "The collector: its version and the Lustre version of this MDS (\"\" when unknown)."),
                List.of(new InfoSnapshot.InfoDataPointSnapshot(Labels.of("version", Version.get(), "lustre_version",
                        collector.lustreVersion())))));
        out.add(gauge("ready", "1 once the first scan of the Lustre tree is published.", collector.ready() ? 1 : 0));
        out.add(gauge("start_time_seconds", "When the collector started, seconds since the epoch.",
                collector.startedMillis() / 1000.0));
        out.add(gauge("last_scan_timestamp_seconds", "When the last published scan started, seconds since the epoch; 0 before the first.",
                s.scanMillis() / 1000.0));
        out.add(gauge("scan_duration_seconds", "How long the last scan of the Lustre tree took.",
                collector.lastScanDuration() / 1000.0));
        out.add(gauge("health_ok", "1 when this MDS's health_check reads healthy (or is absent), else 0.",
                s.health().isEmpty() || s.health().startsWith("healthy") ? 1 : 0));
        fileSystems(s, t, out);
        traps(out);
        sources(out);
        forwarding(out);
        return out;
    }

    private void fileSystems(LustreSnapshot s, TargetSeries.Families t, List<MetricSnapshot> out) {
        List<GaugeDataPointSnapshot> count = new ArrayList<>();
        List<GaugeDataPointSnapshot> down = new ArrayList<>();
        List<GaugeDataPointSnapshot> size = new ArrayList<>();
        List<GaugeDataPointSnapshot> free = new ArrayList<>();
        for (Map.Entry<String, FileSystemState> e : s.fileSystems().entrySet()) {
            Labels fs = Labels.of("fs", e.getKey());
            FileSystemState f = e.getValue();
            count.add(point(f.nodes().size(), fs));
            down.add(point(t.notResponding().getOrDefault(e.getKey(), 0), fs));
            if (f.kbytesTotal() >= 0) {
                size.add(point(f.kbytesTotal() * 1024.0, fs));
            }
            if (f.kbytesFree() >= 0) {
                free.add(point(f.kbytesFree() * 1024.0, fs));
            }
        }
        out.add(new GaugeSnapshot(meta("filesystem_targets", "Targets (MDTs and OSTs) of the file system."), count));
        out.add(new GaugeSnapshot(meta("filesystem_targets_not_responding",
                "Targets of the file system that do not respond (inactive or import not FULL)."), down));
        out.add(new GaugeSnapshot(meta("filesystem_size_bytes", "Total space of the file system (from the LOD)."), size));
        out.add(new GaugeSnapshot(meta("filesystem_free_bytes", "Free space of the file system (from the LOD)."), free));
    }

    private void traps(List<MetricSnapshot> out) {
        TrapStore store = collector.store();
        TrapStore.Stats st = store.stats();
        List<CounterDataPointSnapshot> received = new ArrayList<>();
        store.countsBySource().forEach((fs, sources) -> sources.forEach((source, counts) -> {
            for (Category c : Category.values()) {
                received.add(counter(counts[c.code()], Labels.of("fs", fs, "source", source, "category", c.label())));
            }
        }));
        out.add(new CounterSnapshot(meta("traps_received",
                "Traps received by file system (\"\" unknown), source (trapfile, kmsg, scan, collector) and category, "
                + "stored, coalesced or repeated."), received));
        out.add(counter("traps_coalesced", "Traps folded into storm aggregates.", st.coalesced()));
        out.add(counter("traps_evicted", "Traps that left the store's ring (maxtraps) for newer ones.", st.evicted()));
        out.add(gauge("traps_stored", "Traps in the store now.", st.stored()));
        out.add(counter("traps_dropped", "Traps lost at intake: a source stopped while it waited for room in the "
                + "hand-over queue (a full queue makes sources wait, it does not drop).",
                collector.trapsDropped()));
        out.add(counter("parse_errors", "Lustre files and source lines that did not parse.", collector.parseErrors()));
    }

    private void sources(List<MetricSnapshot> out) {
        List<GaugeDataPointSnapshot> up = new ArrayList<>();
        List<CounterDataPointSnapshot> errors = new ArrayList<>();
        for (SourceHealth h : collector.sources()) {
            Labels l = Labels.of("source", h.name(), "path", h.path());
            up.add(point("ok".equals(h.state()) ? 1 : 0, l));
            errors.add(counter(h.parseErrors(), l));
        }
        out.add(new GaugeSnapshot(meta("source_up", "1 when the trap source (trapfile, kmsg) is ok, 0 in error."), up));
        out.add(new CounterSnapshot(meta("source_parse_errors", "Lines of the trap source that did not parse."), errors));
    }

    private void forwarding(List<MetricSnapshot> out) {
        List<GaugeDataPointSnapshot> up = new ArrayList<>();
        List<GaugeDataPointSnapshot> queued = new ArrayList<>();
        List<CounterDataPointSnapshot> sent = new ArrayList<>();
        List<CounterDataPointSnapshot> unsent = new ArrayList<>();
        for (OutputStats o : collector.forwarding().stats()) {
            Labels l = Labels.of("output", o.kind(), "target", o.target());
            up.add(point("ok".equals(o.state()) ? 1 : 0, l));
            queued.add(point(o.queued(), l));
            sent.add(counter(o.sent(), l));
            unsent.add(counter(o.queueFull(), l.add("reason", "queue_full")));
            unsent.add(counter(o.rejected(), l.add("reason", "rejected")));
        }
        out.add(new GaugeSnapshot(meta("output_up", "1 when the last send to the output (Alertmanager, syslog) succeeded."), up));
        out.add(new GaugeSnapshot(meta("output_queued", "Alerts or messages waiting to be sent to the output."), queued));
        out.add(new CounterSnapshot(meta("output_sent", "Alerts or messages the output accepted."), sent));
        out.add(new CounterSnapshot(meta("output_unsent",
                "Alerts or messages not sent: queue_full (the output was too slow or down too long) or rejected."), unsent));
        out.add(counter("output_missed", "Traps that left the store before the forwarding feed read them (sent to no output).",
                collector.forwarding().missed()));
    }

    static MetricMetadata meta(String name, String help) {
        return new MetricMetadata(name.isEmpty() ? "lustre_collector" : PREFIX + name, help);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return new GaugeSnapshot(meta(name, help), List.of(point(value, Labels.EMPTY)));
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return new CounterSnapshot(meta(name, help), List.of(counter(value, Labels.EMPTY)));
    }

    static GaugeDataPointSnapshot point(double value, Labels labels) {
        return new GaugeDataPointSnapshot(value, labels, null);
    }

    private static CounterDataPointSnapshot counter(double value, Labels labels) {
        return new CounterDataPointSnapshot(value, labels, null, 0);
    }
}
