package org.lustre.collector.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.Threads;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.lustre.LustreSnapshot;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.source.TrapSink;
import org.lustre.collector.trap.TrapEvent;

class ScanLoopTest {
    @TempDir
    Path dir;

    /** Collects what the loop hands over. */
    private static final class Sink implements TrapSink {
        final List<TrapEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public boolean submit(TrapEvent event) {
            events.add(event);
            return true;
        }

        @Override
        public boolean replay(TrapEvent event) {
            return submit(event);
        }

        @Override
        public void repeat(String source, int count) {
        }
    }

    @Test
    void aNamedTargetIsReadWithinAFractionOfASecondNotAtTheNextScan() throws Exception {
        SimulatedTree tree = SimulatedTree.create(dir, 1, 40, "2.15");
        // One target a scan and a sweep of a whole hour: without the wake, OST0021's drop would
        // show only after minutes.
        LustreScanner scanner = new LustreScanner(new FileLustreTree(dir), 1, 720);
        Sink sink = new Sink();
        List<LustreSnapshot> published = new CopyOnWriteArrayList<>();
        ScanLoop loop = new ScanLoop(scanner, sink, 60_000, System::currentTimeMillis,
                (s, took) -> published.add(s));
        Thread t = Threads.daemon(loop, "scan-loop-test");
        t.start();
        try {
            long deadline = System.currentTimeMillis() + 10_000;
            while (published.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(!published.isEmpty(), "first scan");
            String name = SimulatedTree.targetName("testfs", 0x21);
            tree.ostDown("testfs", 0x21, false);
            long woken = System.currentTimeMillis();
            assertTrue(scanner.prioritize(name));
            loop.wake();
            while (sink.events.stream().noneMatch(e -> e.message().startsWith(name + " not responding"))
                    && System.currentTimeMillis() - woken < 5_000) {
                Thread.sleep(5);
            }
            long took = System.currentTimeMillis() - woken;
            assertTrue(took < 2_000, "seen after " + took + " ms; events " + sink.events);
            assertTrue(published.size() >= 2, "the read published a snapshot");
            assertTrue(!published.get(published.size() - 1).nodes().get(name).responding());
        } finally {
            loop.stop();
            t.interrupt();
            t.join(5_000);
        }
        assertTrue(!t.isAlive(), "the loop ends when stopped");
    }
}
