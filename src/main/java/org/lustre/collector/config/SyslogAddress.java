package org.lustre.collector.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the {@code syslog} option sends traps: {@code udp://host:port}, {@code tcp://host:port}
 * (octet-counted framing, RFC 6587) or {@code tls://host:port} (RFC 5425, the JVM's trust store).
 * Immutable.
 *
 * @param protocol "udp", "tcp" or "tls"
 * @param host     host name or address literal (IPv6 without brackets)
 * @param port     1-65535
 */
public record SyslogAddress(String protocol, String host, int port) {

    /** The option's value parsed; null when empty (off). Errors name the option and its source. */
    static SyslogAddress option(String text, String origin) throws ConfigException {
        String t = text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("none")) {
            return null;
        }
        try {
            return parse(t);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("option 'syslog' (" + origin + "): bad value '" + t + "': " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static SyslogAddress parse(String text) {
        URI u;
        try {
            u = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (want udp://, tcp:// or tls://host:port)");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("udp") && !scheme.equals("tcp") && !scheme.equals("tls")) {
            throw new IllegalArgumentException("scheme must be udp, tcp or tls");
        }
        if (u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535) {
            throw new IllegalArgumentException("want " + scheme + "://host:port with a port 1-65535");
        }
        if (u.getRawPath() != null && !u.getRawPath().isEmpty() || u.getRawQuery() != null) {
            throw new IllegalArgumentException("nothing may follow host:port");
        }
        String host = u.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SyslogAddress(scheme, host, u.getPort());
    }

    @Override
    public String toString() {
        return protocol + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
