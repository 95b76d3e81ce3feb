package org.lustre.collector.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.JarResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.service.Collector;

/**
 * The collector's webapp in an embedded Tomcat: the same web.xml as the WAR, read from the
 * {@code webapp/} folder that the build copies into the executable jar. An HTTP connector on
 * host:port, and an AJP one when ajp-port is set (secret required, tomcatAuthentication off so
 * httpd's user reaches the access filter). Tomcat's base folder is a private temporary one,
 * removed on close: the collector keeps nothing on disk.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(EmbeddedServer.class);

    private final Tomcat tomcat;
    private final Path baseDir;
    private final Connector http;
    private final Context context;

    private EmbeddedServer(Tomcat tomcat, Path baseDir, Connector http, Context context) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.http = http;
        this.context = context;
    }

    /**
     * Requests served at once per connector (Tomcat's default is 200). A few monitors and pages
     * poll an MDS; answers are built whole in memory (a getNodeNames("") at 100,000 OSTs is ~3 MB),
     * so 200 at once could exhaust the 192 MiB heap. Idle keep-alive connections hold no thread.
     */
    static final int MAX_REQUEST_THREADS = 8;

    /** Starts Tomcat and the collector; throws when a port cannot be bound or the webapp fails. */
    public static EmbeddedServer start(CollectorConfig config) throws IOException, LifecycleException {
        Path base = Files.createTempDirectory("lustre-collector-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        tomcat.getServer().setPort(-1); // no shutdown port: SIGTERM stops us

        InetAddress address = resolve(config.host());
        checkFree(address, config.port(), config, "port");
        if (config.ajpPort() != 0) {
            checkFree(address, config.ajpPort(), config, "ajp-port");
        }

        Connector http = connector("HTTP/1.1", config.port(), address);
        hardenBodyReads(http);
        http.setProperty("server", "lustre-collector");
        http.setXpoweredBy(false);
        tomcat.setConnector(http);
        // Error pages keep their message but carry no exception and name no server version.
        // (by class name: the Host adds its own default valve unless that name is exactly its class)
        ((org.apache.catalina.core.StandardHost) tomcat.getHost())
                .setErrorReportValveClass(QuietErrorReportValve.class.getName());

        Connector ajp = null;
        if (config.ajpPort() != 0) {
            ajp = connector("AJP/1.3", config.ajpPort(), address);
            ajp.setProperty("secretRequired", "true");
            ajp.setProperty("secret", Files.readString(config.ajpSecretFile(), StandardCharsets.UTF_8).trim());
            ajp.setProperty("tomcatAuthentication", "false");
            tomcat.getService().addConnector(ajp);
        }

        Path docBase = Files.createDirectories(base.resolve("webapp"));
        Context ctx = tomcat.addWebapp("", docBase.toString());
        ctx.setParentClassLoader(EmbeddedServer.class.getClassLoader());
        if (ctx instanceof org.apache.catalina.core.StandardContext sc) {
            // Our classes live in the parent loader, not the webapp's: nothing of theirs to clear,
            // and the checks would only warn about module access on every stop.
            sc.setClearReferencesThreadLocals(false);
            sc.setClearReferencesRmiTargets(false);
        }
        ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false);
        ((StandardJarScanner) ctx.getJarScanner()).setScanManifest(false);
        WebResourceRoot resources = new StandardRoot(ctx);
        mountWebapp(resources);
        ctx.setResources(resources);
        ctx.addServletContainerInitializer(
                (classes, servletContext) -> servletContext.setAttribute(CollectorListener.CONFIG_ATTRIBUTE, config),
                null);

        EmbeddedServer server = new EmbeddedServer(tomcat, base, http, ctx);
        try {
            tomcat.start();
            if (http.getLocalPort() <= 0 || (ajp != null && ajp.getLocalPort() <= 0)) {
                throw new IOException("cannot bind " + describe(config.host(), config.port())
                        + (ajp != null ? " or AJP port " + config.ajpPort() : "")
                        + " (in use, or not an address of this host)");
            }
            if (!ctx.getState().isAvailable()) {
                throw new LifecycleException("the collector webapp did not start (see the log above)");
            }
        } catch (IOException | LifecycleException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("listening on http://{}/RPC2{}", describe(config.host(), http.getLocalPort()),
                ajp == null ? "" : " and AJP " + describe(config.host(), ajp.getLocalPort()));
        return server;
    }

    private static Connector connector(String protocol, int port, InetAddress address) {
        Connector c = new Connector(protocol);
        c.setPort(port);
        if (address != null) {
            c.setProperty("address", address.getHostAddress());
        }
        // Monitors poll over one connection for hours: don't close it every 100 requests.
        c.setProperty("maxKeepAliveRequests", "-1");
        c.setProperty("maxThreads", Integer.toString(MAX_REQUEST_THREADS));
        return c;
    }

    /** Seconds a request may take to send its whole body (the servlet answers 408 after). */
    static final int BODY_SECONDS = 10;

    /**
     * A request thread is held only while a body is read (Tomcat reads headers without one), so
     * that is where a slow client is cut short: each read waits at most 5 s (connectionUploadTimeout;
     * the servlet bounds the whole body to {@link #BODY_SECONDS}), an unread body is never drained
     * (maxSwallowSize=0: a refused or rejected request's connection is closed instead), and "100
     * Continue" is sent only when the servlet starts reading, after the access and size checks,
     * so a refused or too large request gets its 403 or 413 at once.
     */
    private static void hardenBodyReads(Connector c) {
        c.setProperty("disableUploadTimeout", "false");
        c.setProperty("connectionUploadTimeout", "5000");
        c.setProperty("maxSwallowSize", "0");
        c.setProperty("continueResponseTiming", "onRead");
    }

    /**
     * The address to bind, resolved once, here, so that a name that does not resolve is an error
     * rather than Tomcat's fallback to every interface. Null = all interfaces (host empty).
     */
    private static InetAddress resolve(String host) throws UnknownHostException {
        return host == null || host.isBlank() ? null : InetAddress.getByName(host.trim());
    }

    /**
     * Binds and releases the port first, so that "in use" is one clear line rather than Tomcat's
     * stack trace of its failed connector. (A port taken in between still fails, with Tomcat's trace.)
     * The probe is a socket that never listens: a client connecting at that moment must not reach
     * it and be dropped (Linux refuses the bind while another socket listens on the port).
     */
    private static void checkFree(InetAddress address, int port, CollectorConfig config, String option)
            throws IOException {
        if (port == 0) {
            return;
        }
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IOException("cannot bind " + describe(config.host(), port) + " (option '" + option + "'): "
                    + (e.getMessage() == null ? "in use, or not an address of this host" : e.getMessage()));
        }
    }

    private static String describe(String host, int port) {
        String h = host == null || host.isEmpty() ? "*" : host;
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /** The webapp folder: inside the executable jar, or on disk when run from target/classes. */
    private static void mountWebapp(WebResourceRoot resources) throws IOException {
        URL url = EmbeddedServer.class.getResource("/webapp/WEB-INF/web.xml");
        if (url == null) {
            throw new IOException("webapp/WEB-INF/web.xml is missing from the class path");
        }
        String s = url.toString();
        if (s.startsWith("jar:file:")) {
            String jar = s.substring("jar:file:".length(), s.indexOf("!/"));
            resources.addPreResources(new JarResourceSet(resources, "/",
                    Path.of(java.net.URI.create("file:" + jar)).toString(), "/webapp"));
        } else {
            Path webXml = Path.of(java.net.URI.create(s)); // a class loader's file: URL is a valid URI
            resources.addPreResources(new DirResourceSet(resources, "/",
                    webXml.getParent().getParent().toString(), "/"));
        }
    }

    public int port() {
        return http.getLocalPort();
    }

    public Collector collector() {
        return (Collector) context.getServletContext().getAttribute(CollectorListener.COLLECTOR_ATTRIBUTE);
    }

    /** Blocks until the server is stopped (by {@link #close()} from a shutdown hook). */
    public void await() {
        tomcat.getServer().await();
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException | RuntimeException e) {
            LOG.warn("stopping Tomcat: {}", e.getMessage());
        }
        org.lustre.collector.TempTree.delete(baseDir);
    }
}
