package org.lustre.collector;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.sim.DemoEvents;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.web.EmbeddedServer;

/**
 * Runs the collector in the foreground until SIGTERM or Ctrl-C, whose shutdown hook stops Tomcat,
 * the watcher and (in demo mode) the event generator, and removes the demo's temporary tree.
 */
final class CollectorRunner {
    private static final Logger LOG = LogManager.getLogger(CollectorRunner.class);
    static final int DEMO_FILE_SYSTEMS = 3;
    static final int DEMO_OSTS = 48;

    private CollectorRunner() {
    }

    static int run(CollectorConfig config, boolean demo, PrintStream err) {
        Path demoRoot = null;
        DemoEvents events = null;
        EmbeddedServer server;
        try {
            if (demo) {
                demoRoot = Files.createTempDirectory("lustre-demo-");
                SimulatedTree tree = SimulatedTree.create(demoRoot, DEMO_FILE_SYSTEMS, DEMO_OSTS, "2.12",
                        System::currentTimeMillis, SimulatedTree.Shape.DEMO);
                config = config.withSources(demoRoot, demoRoot.resolve("traps.log"), demoRoot.resolve("kmsg"));
                events = new DemoEvents(tree);
                LOG.info("demo: simulated Lustre tree in {} ({} file systems, {} OSTs) with live events",
                        demoRoot, DEMO_FILE_SYSTEMS, DEMO_OSTS);
            }
            server = EmbeddedServer.start(config);
        } catch (Exception e) {
            err.println("lustre-collector: " + e.getMessage());
            TempTree.delete(demoRoot);
            return 1;
        }
        if (!Daemon.listening()) {
            server.close();
            TempTree.delete(demoRoot);
            return 1;
        }
        if (events != null) {
            events.start();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        final DemoEvents demoEvents = events;
        final Path root = demoRoot;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            if (demoEvents != null) {
                demoEvents.close();
            }
            server.close();
            TempTree.delete(root);
            Daemon.stopping();
            stopped.countDown();
        }, "shutdown"));
        if (demo) {
            String url = "http://" + hostForUrl(config.host()) + ":" + server.port();
            System.out.println("Demo collector: " + url + "/RPC2  (try: java -jar target/lustre-collector.jar monitor "
                    + url + "/RPC2)");
            System.out.println("Web monitor: " + url + "/");
        }
        server.await();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String hostForUrl(String host) {
        if (host == null || host.isEmpty()) {
            return "localhost";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
