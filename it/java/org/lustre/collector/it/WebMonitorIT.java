package org.lustre.collector.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web monitor in a real browser: two collectors from the packaged jar over one simulated
 * tree (an MDS pair sees the same events), then {@code it/browser/page-test.mjs} drives Debian's
 * chromium headless through playwright-core: the page loads with its CSP, shows traps appended to
 * the trap file (and a coalesced one with its count), filters, lists an OST taken down with
 * {@code simulate --down}, and with both collectors behind a proxy shows each trap once and goes
 * on when one stops answering. Screenshots: target/it/web-monitor.png and -pair.png.
 * <p>
 * Skipped when chromium, node or it/browser/node_modules is missing; .ci/run installs them.
 */
class WebMonitorIT {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private final Processes processes = new Processes();

    @AfterEach
    void stopAll() {
        processes.close();
    }

    @Test
    void pageInAHeadlessBrowser() throws Exception {
        Path browserDir = Artifacts.basedir().resolve("it/browser");
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        assumeTrue(nodeWorks(), "node is absent");
        assumeTrue(Files.isDirectory(browserDir.resolve("node_modules/playwright-core")),
                "it/browser/node_modules is absent (npm ci --prefix it/browser)");

        Path dir = Artifacts.work("web-monitor");
        Path tree = dir.resolve("tree");
        Processes.Result created = Processes.run(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(),
                "simulate", "--filesystems", "3", "--osts", "48", tree.toString()), dir, 60);
        assertEquals(0, created.exitCode(), created.output());

        int mds1 = startCollector(dir, tree, "mds1");
        int mds2 = startCollector(dir, tree, "mds2");

        Path screenshot = Path.of(System.getProperty("it.work", "target/it")).toAbsolutePath()
                .resolve("web-monitor.png");
        List<String> cmd = new ArrayList<>(List.of("node", browserDir.resolve("page-test.mjs").toString(),
                "http://127.0.0.1:" + mds1 + "/", tree.toString(),
                "--pair", "http://127.0.0.1:" + mds2 + "/",
                "--jar", Artifacts.jar().toString(), "--java", Artifacts.java(),
                "--screenshot", screenshot.toString(), "--chromium", CHROMIUM.toString()));
        Processes.Result r = Processes.run(cmd, dir, 240);
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output() + "\ncollector logs in " + dir);
    }

    /** A collector on a free loopback port reading the tree every second; returns the port. */
    private int startCollector(Path dir, Path tree, String name) throws Exception {
        int port = Processes.freePort();
        processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "--port", String.valueOf(port),
                "--host", "127.0.0.1", "--interval", "1", "--allow-root", "--lustre-root", tree.toString(),
                "--trap-file", tree.resolve("traps.log").toString(), "--kmsg", tree.resolve("kmsg").toString()),
                dir.resolve(name + ".log"), dir);
        Processes.await(() -> Processes.listening("127.0.0.1", port), 60, name + " to listen on " + port);
        return port;
    }

    private static boolean nodeWorks() {
        try {
            return Processes.run(List.of("node", "--version"), null, 30).exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
