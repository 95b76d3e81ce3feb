package org.lustre.collector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.CollectorConfig;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.LustreScanner;
import org.lustre.collector.source.TrapQueue;
import org.lustre.collector.trap.StormPolicy;
import org.lustre.collector.trap.TrapStore;
import org.lustre.collector.rpc.CollectorApi;
import org.lustre.collector.rpc.MethodTable;
import org.lustre.collector.rpc.XmlRpcEndpoint;
import org.lustre.collector.sim.SimulatedTree;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.rpc.Answer;

/**
 * The scale of the mission: a simulated MDS tree of 100 file systems and 100,000 OSTs (the
 * simulator's 2.12 layout, the shape of the real LLNL 2.12.9 capture: no target_obd to read, so
 * every target is discovered from its OSP device; written into an in-memory file system), a running collector over
 * it, a router failure and a 100,000-trap storm, with the API answering throughout. No timing
 * assertions: speed is the benchmark suite's business.
 */
class HundredThousandOstTest {
    private static final int FILE_SYSTEMS = 100;
    private static final int OSTS = 100_000;
    private static final int STORM = 100_000;

    private static FileSystem memory;
    private static SimulatedTree tree;
    private static Collector collector;
    private static XmlRpcEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        // Small blocks: a million small files would otherwise take 8 KiB each.
        memory = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(256)
                .setMaxSize(4L << 30).build());
        Path root = memory.getPath("/mds");
        long t0 = System.nanoTime();
        tree = SimulatedTree.create(root, FILE_SYSTEMS, OSTS, "2.12");
        System.out.printf("simulated tree: %,d files in %.1f s%n", tree.filesWritten(), (System.nanoTime() - t0) / 1e9);
        CollectorConfig config = ConfigLoader.fromValues(Map.of("interval", "1", "kmsg", "none",
                "maxtraps", "250"));
        collector = new Collector(config, System::currentTimeMillis, new FileLustreTree(root));
        endpoint = new XmlRpcEndpoint(new MethodTable(new CollectorApi(collector).methods()));
        collector.start();
        await(collector::ready, "first scan");
        System.out.printf("first scan of %,d targets: %d ms%n", collector.snapshot().nodes().size(),
                collector.lastScanDuration());
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) {
            collector.close();
        }
        if (memory != null) {
            memory.close();
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Calls over the real XML-RPC exchange (bytes in, bytes out), as a client would. */
    private static Object call(String method, String... params) {
        Answer a = Answer.parse(endpoint.handle(Answer.call(method, params).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!a.ok()) {
            throw new AssertionError(method + ": fault " + a.faultCode() + " " + a.faultString());
        }
        return a.value();
    }

    private static String str(String s) {
        return "<string>" + s + "</string>";
    }

    @Test
    void everyFileSystemAndTargetIsKnown() {
        Object[] fs = (Object[]) call("getFileSystems");
        assertEquals(FILE_SYSTEMS, fs.length);
        assertEquals(tree.fileSystems(), Arrays.stream(fs).map(String::valueOf).toList());
        assertEquals(OSTS + FILE_SYSTEMS, ((Object[]) call("getNodeNames", str(""))).length, "OSTs and one MDT each");
        int total = 0;
        for (Object name : fs) {
            Object[] nodes = (Object[]) call("getNodeNames", str((String) name));
            assertEquals(tree.ostCount((String) name) + 1, nodes.length);
            Map<?, ?> info = (Map<?, ?>) call("getFileSystemInfo", str((String) name));
            assertEquals(nodes.length, info.get("nodes"));
            total += tree.ostCount((String) name);
        }
        assertEquals(OSTS, total);
        Map<?, ?> n = (Map<?, ?>) call("getNodeInfo", str(SimulatedTree.targetName("fs42", 0x3e7)));
        assertEquals("fs42", n.get("fs"));
        assertEquals(999, n.get("index"));
        assertEquals("FULL", n.get("state"), "read on demand although the round robin has not reached it");
        assertEquals(tree.nid("fs42", 999), n.get("nid"));
    }

    @Test
    void routerFailureStormIsCoalescedAndEveryDisconnectedTargetShows() throws Exception {
        String fs = "fs07";
        int down = tree.routerFailure(fs, "o2ib1");
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < tree.ostCount(fs); i++) {
            if (tree.network(fs, i).equals("o2ib1")) {
                expected.add(SimulatedTree.targetName(fs, i));
            }
        }
        assertEquals(down, expected.size());
        assertTrue(down >= 100, "a network carries a share of the file system's OSTs: " + down);

        // While the storm is handed over, other threads keep calling the API.
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                long cursor = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    call("getFileSystemInfo", str(fs));
                    Map<?, ?> page = (Map<?, ?>) call("getTrapRecords", "<int>" + cursor + "</int>", "<int>250</int>");
                    cursor = (Integer) page.get("cursor");
                    calls.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "api-reader");
        reader.start();
        long before = collector.store().stats().received();
        List<String> names = List.copyOf(expected);
        long now = System.currentTimeMillis();
        for (int i = 0; i < STORM; i++) {
            String node = names.get(i % names.size());
            TrapEvent e = new TrapEvent("storm-" + i, now, Category.CRITICAL, fs, node, node
                    + "-osc-MDT0000: Connection to " + node + " (at " + tree.nid(fs, Integer.parseInt(
                    node.substring(node.length() - 4), 16)) + ") was lost; in progress operations using this "
                    + "service will fail", "kmsg");
            while (!collector.queue().submit(e)) {
                Thread.sleep(1); // the test waits for room and offers again; a real source would lose it
            }
        }
        await(() -> collector.store().stats().received() - before >= STORM, "the storm to be stored");
        reader.interrupt();
        reader.join(10_000);
        assertNull(failure.get(), () -> "the API failed during the storm: " + failure.get());
        assertTrue(calls.get() > 0, "the API answered during the storm");
        System.out.printf("storm: %,d traps; API calls answered meanwhile: %,d%n", STORM, calls.get());

        var stats = collector.store().stats();
        // A refused submit counts as dropped at the hand-over, but the test offered it again.
        // Besides the storm, the scans raise at most one not-responding trap per disconnected target.
        long extra = stats.received() - before - STORM;
        assertTrue(extra >= 0 && extra <= down, "storm traps received exactly once, plus state changes: " + extra);
        assertTrue(stats.stored() <= 250);
        assertTrue(stats.coalesced() >= STORM - 250, "coalesced: " + stats.coalesced());
        long[] byCategory = collector.store().countsByCategory(fs);
        assertTrue(byCategory[Category.CRITICAL.code()] >= STORM, "every storm trap counted for " + fs);

        // The storm's traps, coalesced: few, and saying which network is suspect.
        // Aggregates are published when the storm has been quiet for a window: wait for them.
        await(() -> collector.store().read(0, 250).traps().stream().mapToLong(t -> t.id().startsWith("storm-")
                ? t.count() : 0).sum() >= STORM - 250, "storm aggregates published");
        List<Trap> stored = collector.store().read(0, 250).traps();
        List<Trap> storm = stored.stream().filter(t -> t.id().startsWith("storm-")).toList();
        long represented = storm.stream().mapToLong(Trap::count).sum();
        assertTrue(storm.size() < 50, "a handful of traps, not 100,000: " + storm.size());
        assertTrue(represented <= STORM);
        assertTrue(storm.stream().anyMatch(t -> t.count() > 1 && t.message().contains("router or network suspect: o2ib1")),
                () -> storm.stream().map(Trap::message).toList().toString());

        // Every disconnected target shows as not responding: the traps named them, so the next scans read them.
        await(() -> {
            Object[] nr = (Object[]) ((Map<?, ?>) call("getFileSystemInfo", str(fs))).get("notResponding");
            return new HashSet<>(Arrays.asList(nr)).equals(new HashSet<>(expected));
        }, "notResponding to list the " + down + " disconnected OSTs");
        Map<?, ?> one = (Map<?, ?>) call("getNodeInfo", str(names.get(0)));
        assertEquals("DISCONN", one.get("state"));
        assertFalse((Boolean) one.get("responding"));
        Object[] others = (Object[]) ((Map<?, ?>) call("getFileSystemInfo", str("fs08"))).get("notResponding");
        assertEquals(0, others.length, "other file systems unaffected");
    }

    /**
     * The kernel log off, an OST's import drops to DISCONN: only the tree says so. A scanner and
     * watcher of their own, driven scan by scan on a synthetic clock at the default interval (5 s)
     * and sweep (60 s): 12 scans per sweep, 8,334 connections read a scan. The OST chosen is the
     * last one the sweep read before the change (the worst case), so the trap comes exactly 12
     * scans (60 s) later; the round robin alone would take 400 scans.
     */
    @Test
    void silentDisconnIsACriticalTrapWithinTheSweep() throws Exception {
        int interval = 5;
        int sweep = 60;
        int sweepScans = LustreScanner.sweepScans(sweep, interval);
        assertEquals(12, sweepScans);
        long[] now = {1_800_000_000_000L};
        LustreScanner scanner = new LustreScanner(new FileLustreTree(tree.root()), Collector.OST_DETAIL_BUDGET,
                sweepScans);
        TrapStore store = new TrapStore(250, StormPolicy.DEFAULT, () -> now[0]);
        ScanLoop scans = new ScanLoop(scanner, new TrapQueue(16), interval * 1000L, () -> now[0], (s, t) -> { });
        scans.scanOnce(now[0], false).forEach(store::append);
        now[0] += interval * 1000L;
        scans.scanOnce(now[0], false).forEach(store::append);
        // The sweep has read the first 2 x 8,334 OSTs (file systems in name order, 1,000 OSTs each).
        int perScan = (OSTS + sweepScans - 1) / sweepScans;
        int last = 2 * perScan - 1;
        String fs = tree.fileSystems().get(last / (OSTS / FILE_SYSTEMS));
        int index = last % (OSTS / FILE_SYSTEMS);
        String node = SimulatedTree.targetName(fs, index);
        tree.ostDown(fs, index);     // writes a kmsg record too, but nothing reads the kernel log here
        try {
            int scanCount = 0;
            while (scanCount < 2 * sweepScans && store.read(0, 250).traps().stream()
                    .noneMatch(t -> t.node().equals(node) && t.category() == Category.CRITICAL)) {
                now[0] += interval * 1000L;
                scans.scanOnce(now[0], false).forEach(store::append);
                scanCount++;
            }
            System.out.printf("silent DISCONN of %s at %,d OSTs: Critical trap after %d scans (%d s of scan clock)%n",
                    node, OSTS, scanCount, scanCount * interval);
            assertEquals(sweepScans, scanCount, "the worst case: one whole sweep, " + sweep + " s");
            Trap trap = store.read(0, 250).traps().stream().filter(t -> t.node().equals(node)).findFirst().orElseThrow();
            assertEquals(node + " not responding (state DISCONN)", trap.message());
        } finally {
            tree.ostUp(fs, index);
        }
    }
}
