package org.lustre.collector.monitor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.apache.xmlrpc.client.XmlRpcHttpTransport;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.lustre.collector.monitor.CollectorException.Kind;
import org.lustre.collector.rpc.HardenedSax;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Apache XML-RPC transport over one shared httpclient5 client, so that polls reuse a persistent
 * HTTP/1.1 connection instead of opening one per call as the JDK transports do.
 *
 * <p>What it changes against {@link XmlRpcHttpTransport}: httpclient5 sets Content-Length from the
 * buffered body and asks for and inflates gzip itself (so the stream is never inflated twice); the
 * answer is read through a size cap, parsed by a DOCTYPE-refusing reader and a
 * {@link SafeResponseParser} that never deserializes a fault cause; every failure leaves as a
 * classified {@link CollectorException}. A fully read answer gives the connection back to the pool;
 * any failure drops the connection instead of draining a possibly endless body.
 *
 * <p>One instance per call, used by the calling thread only.
 */
final class HttpClient5Transport extends XmlRpcHttpTransport {
    private static final ContentType TEXT_XML = ContentType.create("text/xml", StandardCharsets.UTF_8);

    private final CloseableHttpClient http;
    private final URI uri;
    private final long maxAnswerBytes;
    private final HttpPost post;
    private CloseableHttpResponse response;
    private boolean answerComplete;

    HttpClient5Transport(XmlRpcClient client, CloseableHttpClient http, URI uri, long maxAnswerBytes) {
        super(client, "lustre-collector-monitor");
        this.http = http;
        this.uri = uri;
        this.maxAnswerBytes = maxAnswerBytes;
        this.post = new HttpPost(uri);
    }

    @Override
    protected void setRequestHeader(String name, String value) {
        // httpclient5 derives both from the entity; a second copy would make a malformed request.
        if (!"Content-Length".equalsIgnoreCase(name) && !"Content-Type".equalsIgnoreCase(name)) {
            post.addHeader(name, value);
        }
    }

    @Override
    protected boolean isResponseGzipCompressed(XmlRpcStreamRequestConfig config) {
        return false; // already inflated by httpclient5, although Content-Encoding may still say gzip
    }

    @Override
    protected void writeRequest(ReqWriter writer) throws XmlRpcException, IOException, SAXException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        writer.write(body);
        post.setEntity(new ByteArrayEntity(body.toByteArray(), TEXT_XML));
        try {
            response = execute(post);
        } catch (IOException e) {
            throw classify(uri, e);
        }
        int status = response.getCode();
        if (status / 100 != 2) {
            throw statusFailure(status, response.getReasonPhrase());
        }
    }

    @SuppressWarnings("deprecation") // execute(request) returning the open response is what a stream transport needs
    private CloseableHttpResponse execute(HttpPost request) throws IOException {
        return http.execute(request);
    }

    @Override
    protected InputStream getInputStream() throws XmlRpcException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            throw new CollectorException(Kind.NOT_XMLRPC, "answer is not XML-RPC: empty answer");
        }
        try {
            return new CappedInputStream(entity.getContent(), maxAnswerBytes);
        } catch (IOException e) {
            throw classify(uri, e);
        }
    }

    @Override
    protected XMLReader newXMLReader() {
        return HardenedSax.newReader();
    }

    @Override
    protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream stream) throws XmlRpcException {
        SafeResponseParser parser = new SafeResponseParser(config, getClient().getTypeFactory());
        XMLReader reader = newXMLReader();
        reader.setContentHandler(parser);
        try {
            reader.parse(new InputSource(stream));
        } catch (IOException | SAXException e) {
            IOException io = ioCause(e);
            if (io != null) {
                throw classify(uri, io);
            }
            throw new CollectorException(Kind.NOT_XMLRPC, "answer is not XML-RPC: " + describe(e));
        } catch (RuntimeException e) {
            // Upstream type parsers cast freely; a hostile answer must not escape as a crash.
            throw new CollectorException(Kind.NOT_XMLRPC, "answer is not XML-RPC: " + e.getClass().getSimpleName());
        }
        answerComplete = true;
        if (parser.isSuccess()) {
            return parser.getResult();
        }
        throw new CollectorException(Kind.FAULT, parser.getErrorCode(),
                "XML-RPC fault " + parser.getErrorCode() + ": " + Text.clean(parser.getErrorMessage()), null);
    }

    @Override
    protected void close() throws XmlRpcClientException {
        if (response == null) {
            return;
        }
        try {
            if (answerComplete) {
                EntityUtils.consume(response.getEntity()); // end of body: the connection returns to the pool
            } else {
                post.cancel(); // shut the connection: never drain an answer we gave up on
            }
            response.close();
        } catch (IOException e) {
            // The connection is dropped either way; nothing to report.
        } finally {
            response = null;
        }
    }

    private static CollectorException statusFailure(int status, String reason) {
        String text = "HTTP " + status + (reason == null || reason.isEmpty() ? "" : " " + Text.clean(reason));
        return switch (status) {
            case 401 -> new CollectorException(Kind.UNAUTHORIZED,
                    "authentication required or refused (" + text + "): check --user and the password");
            case 403 -> new CollectorException(Kind.FORBIDDEN,
                    "access forbidden (" + text + "): this host or user is not allowed");
            case 405 -> new CollectorException(Kind.METHOD_NOT_ALLOWED,
                    "method not allowed (" + text + "): is the URL the collector's /RPC2?");
            case 502, 503, 504 -> new CollectorException(Kind.UNREACHABLE,
                    "unreachable: the proxy answered " + text);
            default -> new CollectorException(Kind.HTTP_ERROR, "HTTP error: " + text);
        };
    }

    /** Maps an I/O failure to the kind the user acts on. */
    static CollectorException classify(URI uri, IOException e) {
        String where = " (" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + ")";
        if (e instanceof CappedInputStream.TooLargeException) {
            return new CollectorException(Kind.TOO_LARGE, e.getMessage());
        }
        if (e instanceof InterruptedIOException) {
            return new CollectorException(Kind.TIMEOUT, "timed out: " + describe(e) + where);
        }
        if (e instanceof SSLException) {
            return new CollectorException(Kind.TLS, "TLS failure: " + describe(e) + where);
        }
        if (e instanceof UnknownHostException) {
            return new CollectorException(Kind.UNREACHABLE, "unreachable: unknown host " + uri.getHost());
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new CollectorException(Kind.UNREACHABLE, "unreachable: connection refused" + where);
        }
        if (e instanceof NoHttpResponseException) {
            return new CollectorException(Kind.UNREACHABLE,
                    "unreachable: the connection closed without an answer" + where);
        }
        return new CollectorException(Kind.UNREACHABLE, "unreachable: connection lost: " + describe(e) + where);
    }

    private static IOException ioCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
            if (c instanceof SAXException sax && sax.getException() instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return Text.clean(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }
}
