package org.lustre.collector.monitor;

import org.apache.xmlrpc.XmlRpcException;

/**
 * A call to a collector failed, classified so that the monitor can print one clear line and exit
 * with a distinct code. Extends {@link XmlRpcException} so that it passes unchanged through
 * Apache XML-RPC's client, which declares only that type. Immutable; any thread.
 */
final class CollectorException extends XmlRpcException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, with the monitor's exit code for it (see {@link ExitCodes}). */
    enum Kind {
        UNREACHABLE(ExitCodes.UNREACHABLE, "unreachable"),
        TIMEOUT(ExitCodes.TIMEOUT, "timed out"),
        TLS(ExitCodes.TLS, "TLS failure"),
        UNAUTHORIZED(ExitCodes.UNAUTHORIZED, "authentication required or refused (HTTP 401)"),
        FORBIDDEN(ExitCodes.FORBIDDEN, "access forbidden (HTTP 403)"),
        METHOD_NOT_ALLOWED(ExitCodes.METHOD_NOT_ALLOWED, "method not allowed (HTTP 405)"),
        HTTP_ERROR(ExitCodes.HTTP_ERROR, "HTTP error"),
        NOT_XMLRPC(ExitCodes.NOT_XMLRPC, "answer is not XML-RPC"),
        FAULT(ExitCodes.FAULT, "XML-RPC fault"),
        TOO_LARGE(ExitCodes.TOO_LARGE, "answer too large");

        private final int exitCode;
        private final String summary;

        Kind(int exitCode, String summary) {
            this.exitCode = exitCode;
            this.summary = summary;
        }

        int exitCode() {
            return exitCode;
        }

        String summary() {
            return summary;
        }
    }

    private final Kind kind;

    CollectorException(Kind kind, String message) {
        this(kind, 0, message, null);
    }

    CollectorException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    /** @param faultCode the XML-RPC fault code for {@link Kind#FAULT}, else 0 */
    CollectorException(Kind kind, int faultCode, String message, Throwable cause) {
        super(faultCode, message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    int faultCode() {
        return code;
    }
}
