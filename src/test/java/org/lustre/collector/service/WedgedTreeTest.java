package org.lustre.collector.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.TempTree;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.NodeState;
import org.lustre.collector.source.SourceHealth;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/**
 * A wedged Lustre: a read that blocks in the kernel, played by a real FIFO with no writer as
 * {@code health_check} (opening it blocks, as a procfs read of a hung Lustre does). The trap file
 * must still be followed, getNodeInfo must answer, the stall must show (a Critical trap, the
 * lustre-tree source in error), its end too, and close must not wait for the blocked read.
 */
class WedgedTreeTest {
    private static final Path HPE = Path.of("src/test/resources/fixtures/lustre/hpe-2.10.1");
    private static final String HEALTH = "sys/fs/lustre/health_check";
    private static final long STALL_MILLIS = 1_500;

    private Path root;
    private Path traps;
    private Collector collector;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("wedged-");
        run("cp", "-a", HPE.toAbsolutePath() + "/.", root.toString());
        traps = root.resolve("traps.log");
        Files.writeString(traps, "");
        collector = new Collector(ConfigLoader.fromValues(Map.of("lustre-root", root.toString(), "kmsg", "none",
                "trap-file", traps.toString(), "interval", "1")), System::currentTimeMillis,
                new FileLustreTree(root), STALL_MILLIS);
        collector.start();
        await(collector::ready, "the first scan");
    }

    @AfterEach
    void clean() throws Exception {
        if (collector != null) {
            collector.close();
        }
        unwedge(); // frees a scanner thread still blocked, whatever the test did
        TempTree.delete(root);
    }

    @Test
    void aBlockedReadStopsOnlyTheScansAndSaysSo() throws Exception {
        wedge();
        await(() -> tree().state().equals("error") && tree().message().contains("stalled"), "the stall reported");
        assertTrue(tree().message().contains(HEALTH), tree().message());
        assertTrue(stored(Category.CRITICAL, "Lustre tree read stalled"), "a Critical trap for the stall");

        long now = System.currentTimeMillis() / 1000;
        Files.writeString(traps, "t-1\t" + now + "\tWarning\tlustrefs\tlustrefs-OST0001\tstill followed\n",
                StandardOpenOption.APPEND);
        await(() -> stored(Category.WARNING, "still followed"), "the trap file's trap while the scan is blocked");

        Optional<NodeState> node = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> collector.node("lustrefs-OST0000"), "getNodeInfo must not wait for a wedged tree");
        assertEquals("lustrefs-OST0000", node.orElseThrow().name());

        unwedge();
        await(() -> stored(Category.INFO, "Lustre tree reads answer again"), "the end of the stall");
        await(() -> tree().state().equals("ok"), "the tree source ok again");
    }

    @Test
    void closeDoesNotWaitForABlockedRead() throws Exception {
        wedge();
        await(() -> tree().message().contains("stalled"), "the stall reported");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> collector.close());
        collector = null;
    }

    private SourceHealth tree() {
        return collector.sources().stream().filter(h -> h.name().equals("lustre-tree")).findFirst().orElseThrow();
    }

    private boolean stored(Category category, String text) {
        for (Trap t : collector.store().read(0, 250).traps()) {
            if (t.category() == category && t.message().contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** health_check becomes a FIFO nobody writes: the next scan blocks opening it. */
    private void wedge() throws Exception {
        Files.delete(root.resolve(HEALTH));
        run("mkfifo", root.resolve(HEALTH).toString());
    }

    /**
     * Puts a regular file in the FIFO's place, then opens the FIFO (whose open the blocked reader
     * waits in) and gives it a line, so the blocked read returns and the next one reads the file.
     */
    private void unwedge() throws Exception {
        Path fifo = root.resolve(HEALTH);
        if (!Files.exists(fifo) || Files.isRegularFile(fifo)) {
            return;
        }
        Path fresh = root.resolve(HEALTH + ".new");
        Files.writeString(fresh, "healthy\n");
        Thread writer = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write("healthy\n".getBytes(UTF_8));
            } catch (Exception ignored) {
                // no reader came: nothing was blocked
            }
        });
        writer.setDaemon(true);
        writer.start();
        writer.join(5_000);
        Files.move(fresh, fifo, StandardCopyOption.REPLACE_EXISTING);
        writer.interrupt();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
