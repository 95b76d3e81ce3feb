package org.lustre.collector.web;

import java.nio.file.Path;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.apache.commons.cli.CommandLine;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.CommandLineOptions;
import org.lustre.collector.config.ConfigException;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.rpc.CollectorApi;
import org.lustre.collector.rpc.MethodTable;
import org.lustre.collector.rpc.XmlRpcEndpoint;
import org.lustre.collector.service.Collector;

/**
 * Builds the collector when the webapp starts and stops it when the webapp stops. Embedded, the
 * launcher hands over the configuration it resolved (context attribute {@value #CONFIG_ATTRIBUTE});
 * in a standalone Tomcat the listener reads the file named by the context parameter or system
 * property {@value #CONFIG_PROPERTY} (default /etc/lustre-collector/config). A bad configuration
 * fails the webapp's start, with the reason in the log.
 */
public final class CollectorListener implements ServletContextListener {
    public static final String CONFIG_ATTRIBUTE = "org.lustre.collector.config";
    public static final String COLLECTOR_ATTRIBUTE = "org.lustre.collector.collector";
    public static final String ENDPOINT_ATTRIBUTE = "org.lustre.collector.endpoint";
    public static final String CONFIG_PROPERTY = "lustre.collector.config";

    private final Logger log = LogManager.getLogger(CollectorListener.class);
    private Collector collector;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        Object given = ctx.getAttribute(CONFIG_ATTRIBUTE);
        CollectorConfig config = given instanceof CollectorConfig c ? c : loadForContainer(ctx);
        ctx.setAttribute(CONFIG_ATTRIBUTE, config);
        collector = new Collector(config);
        XmlRpcEndpoint endpoint = new XmlRpcEndpoint(new MethodTable(new CollectorApi(collector).methods()));
        ctx.setAttribute(COLLECTOR_ATTRIBUTE, collector);
        ctx.setAttribute(ENDPOINT_ATTRIBUTE, endpoint);
        collector.start();
    }

    private CollectorConfig loadForContainer(ServletContext ctx) {
        String file = ctx.getInitParameter(CONFIG_PROPERTY);
        if (file == null) {
            file = System.getProperty(CONFIG_PROPERTY, ConfigLoader.SYSTEM_FILE.toString());
        }
        try {
            CommandLine none = CommandLineOptions.parse(new String[0]);
            // The named file is the only layer: a container has no user home or command line of ours.
            CollectorConfig c = ConfigLoader.load(none, Path.of("/nonexistent"), Path.of(file));
            log.info("configuration from {}", Path.of(file).toFile().exists() ? file : "defaults (" + file
                    + " absent)");
            return c;
        } catch (ConfigException e) {
            log.error("lustre-collector: {}", e.getMessage());
            throw new IllegalStateException("lustre-collector configuration: " + e.getMessage());
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (collector != null) {
            collector.close();
            collector = null;
        }
    }
}
