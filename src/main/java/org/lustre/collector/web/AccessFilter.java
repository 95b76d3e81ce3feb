package org.lustre.collector.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.util.NetMask;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.config.CollectorConfig;

/**
 * Admits a request when its peer address is inside the {@code allow} list, or when it carries a
 * user that Apache httpd authenticated (AJP with tomcatAuthentication=false). The second rule is
 * needed because behind AJP the remote address is the browser's, not httpd's: the address rule
 * alone would lock every administrator out. A plain HTTP request can never carry such a user: no
 * authentication is configured on our connectors, so Tomcat sets one only from AJP.
 * <p>
 * Deny by default, like Tomcat's RemoteCIDRFilter, whose NetMask does the matching. An invalid
 * list stops the webapp from starting (every bad entry named). Refusals answer 403 and are logged
 * with the peer, at most once a minute per peer so a scan cannot flood the log. Thread-safe.
 */
public final class AccessFilter implements Filter {
    // Not static: one logger per filter instance is what Tomcat's own filters do across reloads.
    private final Logger log = LogManager.getLogger(AccessFilter.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    private static final int MAX_REMEMBERED_PEERS = 10_000;
    /** A dotted IPv4 address or anything with a colon (IPv6), never a host name. */
    private static final java.util.regex.Pattern LITERAL =
            java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%a-zA-Z0-9]*");

    private volatile List<NetMask> allow = List.of();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        Object cfg = filterConfig.getServletContext().getAttribute(CollectorListener.CONFIG_ATTRIBUTE);
        List<String> entries;
        if (cfg instanceof CollectorConfig c) {
            entries = c.allow();
        } else {
            String param = filterConfig.getInitParameter("allow");
            entries = param == null ? List.of("127.0.0.1/32", "::1/128") : List.of(param.split(","));
        }
        setAllow(entries);
    }

    /** Parses every entry; throws naming all bad ones, so a half-configured filter never runs. */
    void setAllow(List<String> entries) throws ServletException {
        List<NetMask> masks = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String e : entries) {
            String t = e.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                masks.add(new NetMask(t));
            } catch (IllegalArgumentException ex) {
                bad.add(t);
            }
        }
        if (!bad.isEmpty()) {
            throw new ServletException("invalid allow entries: " + String.join(", ", bad));
        }
        allow = List.copyOf(masks);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (isAllowed(request.getRemoteAddr(), request.getRemoteUser())) {
            chain.doFilter(req, res);
            return;
        }
        logRefusal(request);
        response.sendError(HttpServletResponse.SC_FORBIDDEN);
    }

    boolean isAllowed(String remoteAddr, String remoteUser) {
        if (remoteUser != null && !remoteUser.isEmpty()) {
            return true;
        }
        if (remoteAddr == null || !LITERAL.matcher(remoteAddr).matches()) {
            return false;
        }
        InetAddress addr;
        try {
            // Only literals get here (checked above), so this never asks DNS.
            addr = InetAddress.getByName(remoteAddr);
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
        for (NetMask m : allow) {
            if (m.matches(addr)) {
                return true;
            }
        }
        return false;
    }

    private void logRefusal(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        long now = System.currentTimeMillis();
        Long last = lastLogged.get(peer);
        if (last != null && now - last < LOG_EVERY_MILLIS) {
            return;
        }
        if (lastLogged.size() >= MAX_REMEMBERED_PEERS) {
            lastLogged.clear();
        }
        lastLogged.put(peer, now);
        log.warn("refused {} {} from {} (not in allow, no authenticated user)", request.getMethod(),
                request.getRequestURI(), peer);
    }
}
