package org.lustre.collector.monitor;

import java.util.List;

/**
 * Exit codes of {@code monitor} and {@code monitor status}. {@code monitor check} uses the Nagios
 * codes 0-3 instead. The table feeds {@code --help} and docs/monitor.md.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 10;
    static final int TIMEOUT = 11;
    static final int TLS = 12;
    static final int UNAUTHORIZED = 13;
    static final int FORBIDDEN = 14;
    static final int METHOD_NOT_ALLOWED = 15;
    static final int HTTP_ERROR = 16;
    static final int NOT_XMLRPC = 17;
    static final int FAULT = 18;
    static final int TOO_LARGE = 19;

    static final int NAGIOS_OK = 0;
    static final int NAGIOS_WARNING = 1;
    static final int NAGIOS_CRITICAL = 2;
    static final int NAGIOS_UNKNOWN = 3;

    record Entry(int code, String meaning) {
    }

    static final List<Entry> TABLE = List.of(
            new Entry(OK, "success (with two URLs: at least one collector answered)"),
            new Entry(INTERNAL, "unexpected internal error"),
            new Entry(USAGE, "bad command line, unreadable --password-file or --cacert"),
            new Entry(UNREACHABLE, "collector unreachable: refused, unknown host, connection lost, proxy 502/503/504"),
            new Entry(TIMEOUT, "connect or read timeout (--connect-timeout, --timeout)"),
            new Entry(TLS, "TLS failure: handshake, untrusted or mismatched certificate"),
            new Entry(UNAUTHORIZED, "HTTP 401: credentials missing or refused by the proxy"),
            new Entry(FORBIDDEN, "HTTP 403: this host or user is not allowed"),
            new Entry(METHOD_NOT_ALLOWED, "HTTP 405: the URL does not take XML-RPC POSTs (wrong path?)"),
            new Entry(HTTP_ERROR, "another HTTP error status (404, 413, 500, ...)"),
            new Entry(NOT_XMLRPC, "the answer is not XML-RPC (garbage, HTML, DOCTYPE refused, wrong shape)"),
            new Entry(FAULT, "the collector answered with an XML-RPC fault (code and message printed)"),
            new Entry(TOO_LARGE, "the answer exceeded --max-answer-mib"));

    private ExitCodes() {
    }
}
