package org.lustre.collector.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoEventsTest {

    @TempDir
    Path dir;

    @Test
    void stepsAreVariedSeededAndUndone() throws IOException {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        SimulatedTree tree = SimulatedTree.create(dir, 2, 32, "2.15", clock::get, SimulatedTree.Shape.PLAIN);
        DemoEvents demo = new DemoEvents(tree, 1000, 7);
        List<String> done = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            clock.addAndGet(3000);
            done.add(demo.step());
        }
        assertEquals(300, demo.events());
        assertTrue(done.stream().anyMatch(s -> s.endsWith(" DISCONN")), "an OST went down");
        assertTrue(done.stream().anyMatch(s -> s.endsWith(" FULL")), "and came back");
        assertTrue(done.stream().anyMatch(s -> s.startsWith("trap ")), "trap lines");
        assertTrue(done.stream().anyMatch(s -> s.contains("filled to")), "fills");
        assertTrue(done.stream().anyMatch(s -> s.startsWith("router failure")), "a router storm in 300 events");
        String traps = Files.readString(tree.trapFile());
        assertTrue(traps.lines().allMatch(l -> l.split("\t", -1).length == 6), traps);
        assertTrue(Files.readString(tree.kmsgFile()).lines().count() > 20);

        demo.undoAll();
        for (String fs : tree.fileSystems()) {
            for (int i = 0; i < tree.ostCount(fs); i++) {
                assertFalse(tree.isDown(fs, i), fs + " " + i);
                assertTrue(tree.isActive(fs, i), fs + " " + i);
                assertTrue(tree.percentUsed(fs, i) < 95, fs + " " + i);
            }
        }
        assertEquals("healthy\n", Files.readString(dir.resolve("sys/fs/lustre/health_check")));

        // The same seed gives the same events.
        Path other = dir.resolve("again");
        AtomicLong clock2 = new AtomicLong(1_700_000_000_000L);
        DemoEvents again = new DemoEvents(
                SimulatedTree.create(other, 2, 32, "2.15", clock2::get, SimulatedTree.Shape.PLAIN), 1000, 7);
        for (int k = 0; k < 50; k++) {
            clock2.addAndGet(3000);
            assertEquals(done.get(k).replace(dir.toString(), ""), again.step().replace(other.toString(), ""));
        }
    }

    @Test
    void threadProducesEventsAndStopsOnClose() throws Exception {
        SimulatedTree tree = SimulatedTree.create(dir, 2, 16, "2.17");
        DemoEvents demo = new DemoEvents(tree, 10, 1);
        try (demo) {
            demo.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (demo.events() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(demo.events() >= 5, "events: " + demo.events());
            assertTrue(threadAlive(), "demo-events thread runs");
        }
        assertFalse(threadAlive(), "demo-events thread stopped");
        long after = demo.events();
        Thread.sleep(50);
        assertEquals(after, demo.events(), "no events after close");
    }

    private static boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("demo-events") && t.isAlive());
    }
}
