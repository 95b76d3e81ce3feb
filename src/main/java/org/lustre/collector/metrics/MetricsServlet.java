package org.lustre.collector.metrics;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.exporter.servlet.jakarta.HttpExchangeAdapter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreTree;
import org.lustre.collector.service.Collector;
import org.lustre.collector.web.CollectorListener;

/**
 * {@code GET /metrics}: the Prometheus client's own scrape handler (text format, OpenMetrics when
 * the Accept header asks for it, gzip when accepted, {@code name[]=} filters) over a registry
 * holding only {@link CollectorMetrics}, not the JVM's default registry. GET and HEAD only (405
 * otherwise, from HttpServlet); the access filter in front of every path applies as for /RPC2.
 * Thread-safe.
 */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final long VERSION_TTL_MILLIS = 60_000;

    private transient PrometheusScrapeHandler handler;

    @Override
    public void init() throws ServletException {
        Object c = getServletContext().getAttribute(CollectorListener.COLLECTOR_ATTRIBUTE);
        if (!(c instanceof Collector collector)) {
            throw new ServletException("the collector did not start (see the log above)");
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new CollectorMetrics(collector, new LustreVersion(
                new FileLustreTree(collector.config().lustreRoot()), VERSION_TTL_MILLIS)));
        handler = new PrometheusScrapeHandler(registry);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handler.handleRequest(new HttpExchangeAdapter(req, resp));
    }

    /** The version file of this MDS, re-read at most once a {@code ttl}: it changes with an upgrade only. */
    static final class LustreVersion implements java.util.function.Supplier<String> {
        private final LustreTree tree;
        private final long ttlMillis;
        private volatile String value = "";
        private volatile long readAt = Long.MIN_VALUE / 2;

        LustreVersion(LustreTree tree, long ttlMillis) {
            this.tree = tree;
            this.ttlMillis = ttlMillis;
        }

        @Override
        public String get() {
            long now = System.currentTimeMillis();
            if (now - readAt >= ttlMillis) {
                value = read(tree);
                readAt = now;
            }
            return value;
        }

        /** sys/fs/lustre/version (2.10+: "2.15.4_1.llnl"), else proc/fs/lustre/version ("lustre: 2.x"); "" when neither. */
        static String read(LustreTree tree) {
            for (String path : new String[] {"sys/fs/lustre/version", "proc/fs/lustre/version"}) {
                try {
                    String text = tree.read(path);
                    if (text == null) {
                        continue;
                    }
                    for (String line : text.split("\n")) {
                        String t = line.strip();
                        if (t.startsWith("lustre:")) {
                            t = t.substring("lustre:".length()).strip();
                        }
                        if (!t.isEmpty()) {
                            return t.length() > 64 ? t.substring(0, 64) : t;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // unreadable: try the other place, else unknown
                }
            }
            return "";
        }
    }
}
