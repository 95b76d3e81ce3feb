package org.lustre.collector.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Browser-facing headers for everything the webapp answers (the monitor page and /RPC2): a
 * Content-Security-Policy that allows scripts, styles and XHR only from this origin and no
 * inline script or style at all, so a trap message that ever got into the page as markup could
 * still not run; no framing (clickjacking of an admin page); no MIME sniffing; no Referer (trap
 * URLs name file systems and nodes). The page polls /RPC2 from the same origin: a second
 * collector is reached through the same httpd as another path (/mds2/RPC2), so 'self' covers it
 * and no other origin is ever allowed.
 * <p>
 * Caching: /RPC2 answers are live data, never stored; the page's files are revalidated each time
 * (DefaultServlet's ETag makes that a 304), so a new collector version is picked up at once.
 * Mapped after the access filter: refused requests get nothing but their 403. Thread-safe (no state).
 */
public final class SecurityHeadersFilter implements Filter {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'none'";

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse response = (HttpServletResponse) res;
        // Set before the chain: a servlet may commit the response (DefaultServlet does).
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY"); // for browsers without frame-ancestors
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        boolean rpc = "/RPC2".equals(((HttpServletRequest) req).getServletPath());
        response.setHeader("Cache-Control", rpc ? "no-store" : "no-cache");
        chain.doFilter(req, res);
    }
}
