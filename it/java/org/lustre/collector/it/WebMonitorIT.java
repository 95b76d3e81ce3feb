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
 * {@code simulate --down} and draws it on the target map (hover, click and keyboard give its
 * details), shows the storm as the timeline's spike and filters to its minute, and with both
 * collectors behind a proxy shows each trap once and goes on when one stops answering.
 * Screenshots: target/it/web-monitor.png and -pair.png.
 * <p>
 * At site scale, {@code it/browser/map-test.mjs}: one collector over a simulated tree of 100 file
 * systems and 100,000 OSTs (1.2 million small files, ~4.6 GB in /dev/shm, 22-90 s to write), the
 * page draws every target, a block of 200 OSTs taken down shows in the screenshot's pixels
 * (target/it/web-monitor-100k.png), one refresh's browser time is printed. The tree goes to
 * /dev/shm when it has room, else under target/it; {@code -Dit.web.siteScale=false} skips it.
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

    @Test
    void hundredThousandTargetsOnTheMap() throws Exception {
        Path browserDir = Artifacts.basedir().resolve("it/browser");
        assumeTrue(!"false".equals(System.getProperty("it.web.siteScale")), "-Dit.web.siteScale=false");
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is absent (apt-get install chromium)");
        assumeTrue(nodeWorks(), "node is absent");
        assumeTrue(Files.isDirectory(browserDir.resolve("node_modules/playwright-core")),
                "it/browser/node_modules is absent (npm ci --prefix it/browser)");

        Path dir = Artifacts.work("web-monitor-100k");
        Path shm = Path.of("/dev/shm");
        // 1.2 million files of at most a page each: tmpfs is much faster than a disk for this.
        Path base = Files.isDirectory(shm) && Files.getFileStore(shm).getUsableSpace() > SITE_TREE_BYTES
                ? Files.createTempDirectory(shm, "lustre-collector-it-") : dir;
        assumeTrue(Files.getFileStore(base).getUsableSpace() > SITE_TREE_BYTES,
                "less than 6 GB free for the 100,000-OST tree in " + base);
        Path tree = base.resolve("tree");
        try {
            long t0 = System.nanoTime();
            Processes.Result created = Processes.run(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(),
                    "simulate", "--filesystems", "100", "--osts", "100000", tree.toString()), dir, 600);
            assertEquals(0, created.exitCode(), created.output());
            System.out.printf("simulated 100,000-OST tree: %s (%.0f s)%n", created.output().trim(),
                    (System.nanoTime() - t0) / 1e9);

            int port = startCollector(dir, tree, "site", "2");
            Path screenshot = Path.of(System.getProperty("it.work", "target/it")).toAbsolutePath()
                    .resolve("web-monitor-100k.png");
            Processes.Result r = Processes.run(List.of("node", browserDir.resolve("map-test.mjs").toString(),
                    "http://127.0.0.1:" + port + "/", tree.toString(),
                    "--jar", Artifacts.jar().toString(), "--java", Artifacts.java(),
                    "--screenshot", screenshot.toString(), "--chromium", CHROMIUM.toString()), dir, 600);
            System.out.println(r.output());
            assertEquals(0, r.exitCode(), r.output() + "\ncollector log in " + dir);
        } finally {
            processes.close();
            Processes.deleteTree(base.equals(dir) ? tree : base);
        }
    }

    /** Room the 100,000-OST tree needs (measured 4.6 GB on tmpfs), with a margin. */
    private static final long SITE_TREE_BYTES = 6L << 30;

    /** A collector on a free loopback port reading the tree every second; returns the port. */
    private int startCollector(Path dir, Path tree, String name) throws Exception {
        return startCollector(dir, tree, name, "1");
    }

    private int startCollector(Path dir, Path tree, String name, String interval) throws Exception {
        int port = Processes.freePort();
        processes.start(List.of(Artifacts.java(), "-jar", Artifacts.jar().toString(), "--port", String.valueOf(port),
                "--host", "127.0.0.1", "--interval", interval, "--allow-root", "--lustre-root", tree.toString(),
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
