package org.lustre.collector.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The DNS-rebinding guard: a browser led to the collector by a name the attacker controls still
 * sends that name in {@code Host}, and its page's origin in {@code Origin}. With {@code accept-host}
 * set, a request is answered only when its Host names one of those hosts (port ignored, IPv6
 * brackets removed, case ignored) and, when it carries an Origin, that origin's host is one of
 * them too or the request's own host (same host). Empty list: any Host, and Origin unchecked (the
 * collector cannot know its own names; the README says to set the option when a browser can reach
 * it). A request without Host (HTTP/1.0) is refused when the list is set. Immutable; any thread.
 */
final class HostCheck {
    private final Set<String> accepted;

    HostCheck(List<String> acceptHosts) {
        this.accepted = Set.copyOf(acceptHosts.stream().map(HostCheck::hostOf).filter(h -> !h.isEmpty()).toList());
    }

    /** Null when admitted, else why not (for the log). */
    String refusal(String hostHeader, String originHeader) {
        if (accepted.isEmpty()) {
            return null;
        }
        if (hostHeader == null) {
            return "no Host header";
        }
        String host = hostOf(hostHeader);
        if (!accepted.contains(host)) {
            return "Host " + shown(hostHeader) + " is not in accept-host";
        }
        if (originHeader != null) {
            String origin = originHost(originHeader);
            if (origin == null || !(origin.equals(host) || accepted.contains(origin))) {
                return "Origin " + shown(originHeader) + " is not in accept-host";
            }
        }
        return null;
    }

    /** "Example.COM:8980" -> "example.com", "[::1]:80" -> "::1", "::1" -> "::1". */
    static String hostOf(String hostAndPort) {
        String h = hostAndPort.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
            h = h.substring(0, colon); // one colon: a port; more: a bare IPv6 address
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // "example.com." is the same name
        }
        return h;
    }

    /** The host of an Origin ("https://example.com:8443"), or null when it has none ("null"). */
    static String originHost(String origin) {
        try {
            URI u = new URI(origin.trim());
            String h = u.getHost();
            return h == null ? null : hostOf(h);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String shown(String s) {
        String t = s.length() <= 100 ? s : s.substring(0, 100) + "...";
        return "'" + t.replaceAll("[\\p{Cntrl}]", "?") + "'";
    }
}
