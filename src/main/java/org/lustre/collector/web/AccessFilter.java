package org.lustre.collector.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

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
import org.lustre.collector.log.RateLimitedLog;

/**
 * Admits a request when its peer address is inside the {@code allow} list, or when it carries a
 * user that Apache httpd authenticated (AJP with tomcatAuthentication=false). The second rule is
 * needed because behind AJP the remote address is the browser's, not httpd's: the address rule
 * alone would lock every administrator out. A plain HTTP request can never carry such a user: no
 * authentication is configured on our connectors, so Tomcat sets one only from AJP.
 * <p>
 * Deny by default, like Tomcat's RemoteCIDRFilter, whose NetMask does the matching. Then the
 * DNS-rebinding guard ({@link HostCheck}, option {@code accept-host}) for Host and Origin.
 * <p>
 * The decision is taken from the peer and the headers only, before anything reads the body (this
 * filter comes first in web.xml); a refusal is a 403 that closes the connection, its body unread
 * (see EmbeddedServer's hardenBodyReads). Refusals are logged at most once a minute in all, whatever
 * the number of peers, with a count of the rest ({@link RateLimitedLog}). Thread-safe.
 */
public final class AccessFilter implements Filter {
    // Not static: one logger per filter instance is what Tomcat's own filters do across reloads.
    private final Logger log = LogManager.getLogger(AccessFilter.class);
    /** A dotted IPv4 address or anything with a colon (IPv6), never a host name. */
    private static final java.util.regex.Pattern LITERAL =
            java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%a-zA-Z0-9]*");

    private volatile List<NetMask> allow = List.of();
    private volatile HostCheck hosts = new HostCheck(List.of());
    private final RateLimitedLog refusals = new RateLimitedLog(log, RateLimitedLog.MINUTE_MILLIS, System::currentTimeMillis,
            "refused requests");

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        // The listener, which runs first, has put the validated configuration there.
        if (!(filterConfig.getServletContext().getAttribute(CollectorListener.CONFIG_ATTRIBUTE)
                instanceof CollectorConfig c)) {
            throw new ServletException("the collector did not start (see the log above)");
        }
        setAllow(c.allow());
        hosts = new HostCheck(c.acceptHosts());
    }

    /** The entries are valid: the allow option's parser checked each. */
    void setAllow(List<String> entries) {
        allow = entries.stream().map(NetMask::new).toList();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String peer = request.getRemoteAddr();
        if (!isAllowed(peer, request.getRemoteUser())) {
            refuse(request, response, "not in allow, no authenticated user");
            return;
        }
        String badHost = hosts.refusal(request.getHeader("Host"), request.getHeader("Origin"));
        if (badHost != null) {
            refuse(request, response, badHost);
            return;
        }
        chain.doFilter(req, res);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String why) throws IOException {
        refusals.warnFrom(String.valueOf(request.getRemoteAddr()), "refused {} {} from {} ({})", request.getMethod(),
                shown(request.getRequestURI()), request.getRemoteAddr(), why);
        response.setHeader("Connection", "close");
        response.sendError(HttpServletResponse.SC_FORBIDDEN);
    }

    private static String shown(String uri) {
        return uri == null ? "" : uri.length() <= 200 ? uri : uri.substring(0, 200) + "...";
    }

    /**
     * A user name httpd could have authenticated: something visible, no control characters. A
     * blank one (an httpd rule that forwards " " for "nobody") is no user.
     */
    static boolean isUser(String name) {
        return name != null && name.codePoints().noneMatch(Character::isISOControl)
                && name.codePoints().anyMatch(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c));
    }

    boolean isAllowed(String remoteAddr, String remoteUser) {
        if (isUser(remoteUser)) {
            return true;
        }
        if (remoteAddr == null || !LITERAL.matcher(remoteAddr).matches()) {
            return false;
        }
        try {
            // Only literals get here (checked above), so this never asks DNS.
            InetAddress addr = InetAddress.getByName(remoteAddr);
            return allow.stream().anyMatch(m -> m.matches(addr));
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

}
