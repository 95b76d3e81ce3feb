package org.lustre.collector.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lustre.collector.rpc.XmlRpcEndpoint;

/**
 * {@code /RPC2}: POST only (405 otherwise, with {@code Allow: POST}), a body of at most 1 MiB
 * (413 beyond, whether announced by Content-Length, found while reading a chunked body, or
 * reached while decoding a gzip or deflate body: the limit is on the decoded bytes, so a
 * compression bomb is refused too), sent within {@link EmbeddedServer#BODY_SECONDS} s (408 after),
 * then the XML-RPC exchange. Content-Encoding gzip, x-gzip and deflate are decoded (Apache's Java
 * client and Perl's RPC::XML send them); any other coding is 415 with {@code Accept-Encoding}.
 * The charset of the Content-Type is handed to the parser, which uses it when the XML itself
 * names no encoding (RFC 7303). Every refusal closes the connection, so the unread body is never
 * drained. The answer is complete before the first byte is sent, so it always has a
 * Content-Length and a failed result is a fault, never an empty 200. Thread-safe.
 */
public final class RpcServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_BODY = 1 << 20;

    private transient XmlRpcEndpoint endpoint;

    @Override
    public void init() throws ServletException {
        if (!(getServletContext().getAttribute(CollectorListener.ENDPOINT_ATTRIBUTE) instanceof XmlRpcEndpoint e)) {
            throw new ServletException("the collector did not start (see the log above)");
        }
        endpoint = e;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!"POST".equals(req.getMethod())) {
            resp.setHeader("Allow", "POST");
            resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "XML-RPC takes POST only");
            return;
        }
        String coding = contentCoding(req);
        if (coding == null) {
            resp.setHeader("Accept-Encoding", "gzip, deflate");
            refuse(resp, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Content-Encoding: only gzip and deflate are accepted");
            return;
        }
        long announced = req.getContentLengthLong();
        // gzip and deflate never shrink data by more than their few bytes of framing (stored
        // blocks), so an encoded body this long decodes past the limit too: refuse it unread
        if (announced > (coding.isEmpty() ? MAX_BODY : MAX_BODY + (MAX_BODY >> 4))) {
            tooLarge(resp);
            return;
        }
        byte[] body;
        try {
            long deadline = System.nanoTime() + EmbeddedServer.BODY_SECONDS * 1_000_000_000L;
            body = decoded(new Deadline(req.getInputStream(), deadline), coding).readNBytes(MAX_BODY + 1);
        } catch (java.net.SocketTimeoutException e) {
            refuse(resp, HttpServletResponse.SC_REQUEST_TIMEOUT,
                    "the request body took over " + EmbeddedServer.BODY_SECONDS + " s");
            return;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            refuse(resp, HttpServletResponse.SC_BAD_REQUEST, "the " + coding + " body does not decode");
            return;
        }
        if (body.length > MAX_BODY) {
            tooLarge(resp);
            return;
        }
        XmlRpcEndpoint.Reply answer = endpoint.reply(body, charsetOf(req));
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/xml");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(answer.length());
        try (OutputStream out = resp.getOutputStream()) {
            answer.writeTo(out);
        }
    }

    private static void tooLarge(HttpServletResponse resp) throws IOException {
        refuse(resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request body over 1 MiB");
    }

    /** The rest of the body is not read: tell the client this connection ends here. */
    private static void refuse(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setHeader("Connection", "close");
        resp.sendError(status, message);
    }

    /** "" for none or identity, "gzip" or "deflate", null for a coding we do not decode. */
    static String contentCoding(HttpServletRequest req) {
        java.util.Enumeration<String> values = req.getHeaders("Content-Encoding");
        String found = "";
        while (values != null && values.hasMoreElements()) {
            for (String c : values.nextElement().split(",")) {
                String t = c.trim().toLowerCase(java.util.Locale.ROOT);
                if (t.isEmpty() || t.equals("identity")) {
                    continue;
                }
                if (!found.isEmpty()) {
                    return null; // two codings stacked: not worth supporting
                }
                if (t.equals("gzip") || t.equals("x-gzip")) {
                    found = "gzip";
                } else if (t.equals("deflate")) {
                    found = "deflate";
                } else {
                    return null;
                }
            }
        }
        return found;
    }

    /**
     * The body as sent, or decoded. "deflate" is zlib (RFC 9110), but some clients send the raw
     * deflate stream: told apart by the zlib header's check bits.
     */
    static InputStream decoded(InputStream in, String coding) throws IOException {
        if (coding.equals("gzip")) {
            return new java.util.zip.GZIPInputStream(in, 8192);
        }
        if (coding.equals("deflate")) {
            InputStream b = new java.io.BufferedInputStream(in, 8192);
            b.mark(2);
            int b0 = b.read();
            int b1 = b.read();
            b.reset();
            boolean zlib = b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
            return new java.util.zip.InflaterInputStream(b, new java.util.zip.Inflater(!zlib), 8192);
        }
        return in;
    }

    /** The charset parameter of the Content-Type, or null. */
    static String charsetOf(HttpServletRequest req) {
        String ct = req.getContentType();
        if (ct == null) {
            return null;
        }
        for (String part : ct.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String v = p.substring(8).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /**
     * The request body, failing (as a socket read timeout does) once its deadline has passed: each
     * read waits at most the connector's upload timeout, so a client that sends a byte now and then
     * is cut off at the deadline plus one such wait.
     */
    static final class Deadline extends java.io.FilterInputStream {
        private final long deadlineNanos;

        Deadline(InputStream in, long deadlineNanos) {
            super(in);
            this.deadlineNanos = deadlineNanos;
        }

        private void check() throws java.net.SocketTimeoutException {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new java.net.SocketTimeoutException("deadline passed");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            int b = super.read();
            check();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            int n = super.read(b, off, len);
            check();
            return n;
        }
    }
}
