package org.lustre.collector.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one httpclient5 client of a monitor run: a pool holding one persistent connection per
 * collector, connect and read timeouts, optional private trust anchors. Thread-safe (the
 * collectors are asked from their own threads at the same time); closed once by the command,
 * which also ends a read still blocked on a hung collector.
 */
final class HttpSession implements Closeable {
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;

    /**
     * @param ssl        trust for https URLs, or null for the JVM's trust store
     * @param collectors how many collectors are asked at once: one connection each
     */
    HttpSession(Duration connectTimeout, Duration readTimeout, SSLContext ssl, int collectors) {
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(readTimeout))
                .build();
        PoolingHttpClientConnectionManagerBuilder pb = PoolingHttpClientConnectionManagerBuilder.create()
                // One per collector on each route too: all may sit behind one proxy (same route, other
                // paths) and are asked at once; with fewer, a hung collector's request would hold
                // another's connection, which would fail after the connect timeout.
                .setMaxConnPerRoute(Math.max(1, collectors))
                .setMaxConnTotal(Math.max(1, collectors))
                .setDefaultConnectionConfig(connection);
        if (ssl != null) {
            pb.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).buildClassic());
        }
        pool = pb.build();
        RequestConfig request = RequestConfig.custom()
                .setResponseTimeout(Timeout.of(readTimeout))
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setRedirectsEnabled(false)
                .build();
        http = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(request)
                // A POST is retried once when a pooled keep-alive connection turned out dead (the collector
                // closed it or restarted between polls): safe because every collector method only reads.
                // Refused connections, timeouts and TLS failures are not retried (the default's exclusions).
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ZERO_MILLISECONDS) {
                    @Override
                    protected boolean handleAsIdempotent(HttpRequest request) {
                        return true;
                    }
                })
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    CloseableHttpClient client() {
        return http;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** An SSLContext trusting exactly the certificates in a PEM file (--cacert). */
    static SSLContext trustingPem(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no certificate found");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
            store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
