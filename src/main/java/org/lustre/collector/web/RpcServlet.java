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
 * (413 beyond, whether announced by Content-Length or found while reading a chunked body), then
 * the XML-RPC exchange. The answer is complete before the first byte is sent, so it always has a
 * Content-Length and a failed result is a fault, never an empty 200. Thread-safe.
 */
public final class RpcServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_BODY = 1 << 20;

    private transient XmlRpcEndpoint endpoint;

    @Override
    public void init() throws ServletException {
        Object e = getServletContext().getAttribute(CollectorListener.ENDPOINT_ATTRIBUTE);
        if (!(e instanceof XmlRpcEndpoint)) {
            throw new ServletException("the collector did not start (see the log above)");
        }
        endpoint = (XmlRpcEndpoint) e;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!"POST".equals(req.getMethod())) {
            resp.setHeader("Allow", "POST");
            resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, "XML-RPC takes POST only");
            return;
        }
        long announced = req.getContentLengthLong();
        if (announced > MAX_BODY) {
            tooLarge(resp);
            return;
        }
        byte[] body = readAtMost(req.getInputStream(), MAX_BODY);
        if (body == null) {
            tooLarge(resp);
            return;
        }
        XmlRpcEndpoint.Reply answer = endpoint.reply(body);
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType("text/xml");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(answer.length());
        try (OutputStream out = resp.getOutputStream()) {
            answer.writeTo(out);
        }
    }

    private static void tooLarge(HttpServletResponse resp) throws IOException {
        // The rest of the body is not read: tell the client this connection ends here.
        resp.setHeader("Connection", "close");
        resp.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "request body over 1 MiB");
    }

    /** The whole body, or null when it is longer than {@code max}. */
    static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] buf = new byte[8192];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
