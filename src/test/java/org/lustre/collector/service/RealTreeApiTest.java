package org.lustre.collector.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.lustre.FileLustreTree;
import org.lustre.collector.lustre.OverlayTree;
import org.lustre.collector.rpc.Answer;
import org.lustre.collector.rpc.CollectorApi;
import org.lustre.collector.rpc.MethodTable;
import org.lustre.collector.rpc.XmlRpcEndpoint;
import org.lustre.collector.trap.Category;

/**
 * A running collector over the real LLNL 2.12.9 tree (kernel log off), through the XML-RPC
 * exchange: every target and space figure in getNodeInfo and getFileSystemInfo, a DISCONN
 * written into one OSP's ost_server_uuid shown in notResponding with a Critical trap, the
 * version and the tree's read errors in getCollectorInfo.
 */
class RealTreeApiTest {
    private static final Path LLNL = Path.of("src/test/resources/fixtures/lustre/llnl-2.12.9");
    private Collector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static Object call(XmlRpcEndpoint endpoint, String method, String... params) {
        Answer a = Answer.parse(endpoint.handle(Answer.call(method, params).getBytes(StandardCharsets.UTF_8)));
        if (!a.ok()) {
            throw new AssertionError(method + ": fault " + a.faultCode() + " " + a.faultString());
        }
        return a.value();
    }

    private static String str(String s) {
        return "<string>" + s + "</string>";
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

    @Test
    void theReal2129TreeThroughTheApi() throws Exception {
        OverlayTree tree = new OverlayTree(new FileLustreTree(LLNL));
        collector = new Collector(ConfigLoader.fromValues(Map.of("interval", "1", "sweep", "1", "kmsg", "none",
                "lustre-root", LLNL.toString())), System::currentTimeMillis, tree);
        XmlRpcEndpoint api = new XmlRpcEndpoint(new MethodTable(new CollectorApi(collector).methods()));
        collector.start();
        await(collector::ready, "first scan");

        assertEquals(List.of("lquake"), Arrays.stream((Object[]) call(api, "getFileSystems")).map(String::valueOf).toList());
        assertEquals(20, ((Object[]) call(api, "getNodeNames", str("lquake"))).length, "16 MDTs and 4 OSTs");
        Map<?, ?> mdt = (Map<?, ?>) call(api, "getNodeInfo", str("lquake-MDT000a"));
        assertEquals(Double.parseDouble(read("proc/fs/lustre/osd-zfs/lquake-MDT000a/kbytestotal")), mdt.get("kbytesTotal"));
        assertEquals(Double.parseDouble(read("proc/fs/lustre/osd-zfs/lquake-MDT000a/filesfree")), mdt.get("filesFree"));
        assertEquals("COMPLETE", ((Map<?, ?>) mdt.get("recovery")).get("status"));
        Map<?, ?> ost = (Map<?, ?>) call(api, "getNodeInfo", str("lquake-OST0001"));
        assertEquals(Double.parseDouble(read("sys/fs/lustre/obdfilter/lquake-OST0001/kbytesfree")), ost.get("kbytesFree"));
        assertEquals(Double.parseDouble(read("proc/fs/lustre/obdfilter/lquake-OST0001/num_exports")), ost.get("exports"));
        assertEquals("FULL", ost.get("state"));
        Map<?, ?> fs = (Map<?, ?>) call(api, "getFileSystemInfo", str("lquake"));
        double total = 0;
        for (int i = 0; i < 4; i++) {
            total += Double.parseDouble(read("sys/fs/lustre/obdfilter/lquake-OST000" + i + "/kbytestotal"));
        }
        assertEquals(total, fs.get("kbytesTotal"));
        assertEquals(0, ((Object[]) fs.get("notResponding")).length);
        Map<?, ?> info = (Map<?, ?>) call(api, "getCollectorInfo");
        assertEquals("2.12.9_12.llnl", info.get("lustreVersion"));
        assertEquals(0, info.get("treeReadErrors"));

        // One MDT's OSP to OST0002 drops to DISCONN; nothing else says so.
        tree.put("sys/kernel/debug/lustre/osp/lquake-OST0002-osc-MDT0007/ost_server_uuid", "lquake-OST0002_UUID\tDISCONN\n");
        await(() -> Arrays.asList((Object[]) ((Map<?, ?>) call(api, "getFileSystemInfo", str("lquake")))
                .get("notResponding")).equals(List.of("lquake-OST0002")), "OST0002 in notResponding");
        Map<?, ?> down = (Map<?, ?>) call(api, "getNodeInfo", str("lquake-OST0002"));
        assertEquals("DISCONN", down.get("state"));
        assertFalse((Boolean) down.get("responding"));
        await(() -> collector.store().read(0, 250).traps().stream().anyMatch(t -> t.node().equals("lquake-OST0002")
                && t.category() == Category.CRITICAL), "a Critical trap");

        // debugfs becomes unreadable (EACCES): counted and shown, the state is not faked.
        tree.fail("sys/kernel/debug", "Permission denied");
        await(() -> "error".equals(treeSource(api).get("state")), "the lustre-tree source in error");
        assertTrue((Integer) ((Map<?, ?>) call(api, "getCollectorInfo")).get("treeReadErrors") > 0);
        Map<?, ?> source = treeSource(api);
        assertTrue(String.valueOf(source.get("message")).contains("Permission denied"), String.valueOf(source.get("message")));
        assertEquals("DISCONN", ((Map<?, ?>) call(api, "getNodeInfo", str("lquake-OST0002"))).get("state"));
        assertEquals(20, ((Object[]) call(api, "getNodeNames", str("lquake"))).length, "no target dropped");
    }

    private static Map<?, ?> treeSource(XmlRpcEndpoint api) {
        Map<?, ?> info = (Map<?, ?>) call(api, "getCollectorInfo");
        return Arrays.stream((Object[]) info.get("sources")).map(o -> (Map<?, ?>) o)
                .filter(m -> m.get("name").equals("lustre-tree")).findFirst().orElseThrow();
    }

    private static String read(String rel) throws java.io.IOException {
        return java.nio.file.Files.readString(LLNL.resolve(rel)).strip();
    }
}
