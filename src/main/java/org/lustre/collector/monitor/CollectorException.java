package org.lustre.collector.monitor;

import org.apache.xmlrpc.XmlRpcException;

/**
 * A call to a collector failed, classified so that the monitor can print one clear line and exit
 * with a distinct code. Extends {@link XmlRpcException} so that it passes unchanged through
 * Apache XML-RPC's client, which declares only that type. Immutable; any thread.
 */
final class CollectorException extends XmlRpcException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, with the monitor's exit code for it and its line in --help. */
    enum Kind {
        UNREACHABLE(10, "collector unreachable: refused, unknown host, connection lost, proxy 502/503/504"),
        TIMEOUT(11, "connect or read timeout (--connect-timeout, --timeout)"),
        TLS(12, "TLS failure: handshake, untrusted or mismatched certificate"),
        UNAUTHORIZED(13, "HTTP 401: credentials missing or refused by the proxy"),
        FORBIDDEN(14, "HTTP 403: this host or user is not allowed"),
        METHOD_NOT_ALLOWED(15, "HTTP 405: the URL does not take XML-RPC POSTs (wrong path?)"),
        HTTP_ERROR(16, "another HTTP error status (404, 413, 500, ...)"),
        NOT_XMLRPC(17, "the answer is not XML-RPC (garbage, HTML, DOCTYPE refused, wrong shape)"),
        FAULT(18, "the collector answered with an XML-RPC fault (code and message printed)"),
        TOO_LARGE(19, "the answer exceeded --max-answer-mib");

        final int exitCode;
        final String meaning;

        Kind(int exitCode, String meaning) {
            this.exitCode = exitCode;
            this.meaning = meaning;
        }

        int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    CollectorException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    /** @param faultCode the XML-RPC fault code for {@link Kind#FAULT}, else 0 */
    CollectorException(Kind kind, int faultCode, String message, Throwable cause) {
        super(faultCode, message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }
}
