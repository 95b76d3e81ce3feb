package org.lustre.collector.metrics;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lustre.collector.service.Collector;
import org.lustre.collector.web.CollectorListener;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the Accept header asks
 * for it, gzip when accepted ({@link MetricsExposition}; why not the client's own scrape handler:
 * {@link TargetSeries}). Only the collector's metrics, not the JVM's default registry. GET and HEAD
 * only (405 otherwise, from HttpServlet); the access filter in front of every path applies as for
 * /RPC2. Thread-safe.
 */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient CollectorMetrics metrics;

    @Override
    public void init() throws ServletException {
        Object c = getServletContext().getAttribute(CollectorListener.COLLECTOR_ATTRIBUTE);
        if (!(c instanceof Collector collector)) {
            throw new ServletException("the collector did not start (see the log above)");
        }
        metrics = new CollectorMetrics(collector);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MetricsExposition.Body body = MetricsExposition.body(metrics.exposition(), req.getHeader("Accept"),
                acceptsGzip(req));
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(body.contentType());
        if (body.gzip()) {
            resp.setHeader("Content-Encoding", "gzip");
        }
        resp.setContentLengthLong(body.length());
        try (java.io.OutputStream out = resp.getOutputStream()) {
            body.writeTo(out);
        }
    }

    private static boolean acceptsGzip(HttpServletRequest req) {
        for (java.util.Enumeration<String> e = req.getHeaders("Accept-Encoding"); e.hasMoreElements(); ) {
            for (String coding : e.nextElement().split(",")) {
                String c = coding.strip();
                int semi = c.indexOf(';');
                String name = (semi < 0 ? c : c.substring(0, semi)).strip();
                if (name.equalsIgnoreCase("gzip") && !c.replace(" ", "").endsWith("q=0")) {
                    return true;
                }
            }
        }
        return false;
    }
}
