package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.service.Collector;
import org.lustre.collector.sim.SimulatedTree;

/**
 * getTargetStates through the XML-RPC exchange of a running collector over a simulated tree: the
 * letters in index order, an OST taken down turning into a D, the version handed back answered
 * "unchanged" until something changes, and the faults for an unknown file system and bad arguments.
 */
class TargetStatesApiTest {
    @TempDir
    Path dir;
    private Collector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static Answer call(XmlRpcEndpoint endpoint, String method, String... params) {
        return Answer.parse(endpoint.handle(Answer.call(method, params).getBytes(UTF_8)));
    }

    private static Map<?, ?> states(XmlRpcEndpoint endpoint, String fs, int version) {
        Answer a = call(endpoint, "getTargetStates", "<string>" + fs + "</string>", "<int>" + version + "</int>");
        assertTrue(a.ok(), () -> a.faultString());
        return (Map<?, ?>) a.value();
    }

    private static String ostCodes(Map<?, ?> answer) {
        for (Object k : (Object[]) answer.get("kinds")) {
            if (((Map<?, ?>) k).get("kind").equals("OST")) {
                return (String) ((Map<?, ?>) k).get("codes");
            }
        }
        throw new AssertionError("no OSTs in " + answer);
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

    @Test
    void statesOfARunningCollector() throws Exception {
        Path root = dir.resolve("lustre");
        SimulatedTree tree = SimulatedTree.create(root, 2, 16, "2.15");
        collector = new Collector(ConfigLoader.fromValues(Map.of("interval", "1", "sweep", "1", "kmsg", "none",
                "lustre-root", root.toString())));
        XmlRpcEndpoint api = new XmlRpcEndpoint(new MethodTable(new CollectorApi(collector).methods()));
        collector.start();
        await(collector::ready, "first scan");
        String fs = tree.fileSystems().get(1);

        await(() -> ostCodes(states(api, fs, 0)).equals("RRRRRRRR"), "every OST known and responding");
        Map<?, ?> first = states(api, fs, 0);
        assertEquals(fs, first.get("name"));
        assertEquals(Map.of("kind", "MDT", "first", 0, "codes", "R"), ((Object[]) first.get("kinds"))[0]);
        int version = (Integer) first.get("version");
        assertEquals(Map.of("name", fs, "version", version, "unchanged", true), states(api, fs, version));

        tree.ostDown(fs, 5);
        await(() -> !Boolean.TRUE.equals(states(api, fs, version).get("unchanged")), "a new version");
        await(() -> ostCodes(states(api, fs, 0)).equals("RRRRRDRR"), "OST0005 not responding");
        assertFalse(states(api, fs, 0).get("version").equals(version));

        Answer unknown = call(api, "getTargetStates", "<string>nosuchfs</string>", "<int>0</int>");
        assertEquals(Faults.UNKNOWN_FILE_SYSTEM, unknown.faultCode());
        Answer oneArgument = call(api, "getTargetStates", "<string>" + fs + "</string>");
        assertEquals(-32602, oneArgument.faultCode(), oneArgument.faultString());
        Answer notAnInt = call(api, "getTargetStates", "<string>" + fs + "</string>", "<string>7</string>");
        assertEquals(-32602, notAnInt.faultCode(), notAnInt.faultString());
    }
}
