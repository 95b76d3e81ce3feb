package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lustre.collector.lustre.NodeState;

/**
 * getTargetStates' letters and layout, and its size and CPU at 100 file systems of 1,000 OSTs
 * through the real XML-RPC serializer (figures printed; no timing assertion: the machine is shared).
 */
class TargetStatesTest {
    private static NodeState ost(String fs, int index, boolean active, String state, boolean responding,
                                 long total, long free) {
        String name = derivedName(fs, "OST", index);
        return new NodeState(name, fs, "OST", index, name + "_UUID", "10.0.0.1@o2ib1", active, state, responding,
                total, free, free, 1000, 500, 0);
    }

    private static NodeState ok(String fs, int index) {
        return ost(fs, index, true, "FULL", true, 1000, 500);
    }

    private static NodeState mdt(String fs, int index, boolean responding) {
        String name = derivedName(fs, "MDT", index);
        return new NodeState(name, fs, "MDT", index, name + "_UUID", "", true, "", responding, 1000, 500, 500,
                1000, 500, 3, null, 0, true);
    }

    /** An OST served here (an OSS): no import state of its own. */
    private static NodeState servedOst(String fs, int index, boolean responding) {
        String name = derivedName(fs, "OST", index);
        return new NodeState(name, fs, "OST", index, name + "_UUID", "", true, "", responding, 1000, 500, 500,
                1000, 500, 3, null, 0, true);
    }

    private static Map<String, NodeState> byName(NodeState... nodes) {
        Map<String, NodeState> m = new HashMap<>();
        for (NodeState n : nodes) {
            m.put(n.name(), n);
        }
        return m;
    }

    @Test
    void eachStateHasItsLetter() {
        assertEquals('R', TargetStates.code(ok("a", 0)));
        assertEquals('D', TargetStates.code(ost("a", 0, true, "DISCONN", false, 1000, 500)));
        assertEquals('D', TargetStates.code(ost("a", 0, true, "FULL", false, 1000, 500)), "INACTIVE in target_obd");
        assertEquals('I', TargetStates.code(ost("a", 0, false, "FULL", true, 1000, 500)));
        assertEquals('I', TargetStates.code(ost("a", 0, false, "DISCONN", false, 1000, 10)), "inactive wins");
        assertEquals('F', TargetStates.code(ost("a", 0, true, "FULL", true, 1000, 40)));
        assertEquals('R', TargetStates.code(ost("a", 0, true, "FULL", true, 1000, 50)), "95% exactly is not full");
        assertEquals('D', TargetStates.code(ost("a", 0, true, "DISCONN", false, 1000, 10)), "down wins over full");
        assertEquals('R', TargetStates.code(ost("a", 0, true, "FULL", true, -1, -1)), "space not read yet");
        assertEquals('U', TargetStates.code(ost("a", 0, true, "", true, -1, -1)), "import state not read yet");
        assertEquals('R', TargetStates.code(mdt("a", 0, true)));
        assertEquals('H', TargetStates.code(mdt("a", 0, false)));
        assertEquals('R', TargetStates.code(servedOst("a", 0, true)), "an OSS's own OST: known, no import");
        assertEquals('H', TargetStates.code(servedOst("a", 0, false)), "an OSS's own OST when the OSS is unhealthy");
    }

    @Test
    void codesFollowTheIndexWithGapsAndKindsApart() {
        Map<String, Object> a = TargetStates.answer("fs1", byName(mdt("fs1", 0, true), ok("fs1", 2),
                ost("fs1", 3, true, "DISCONN", false, 1000, 500), ok("fs1", 6), ok("fs1", 0x1a)));
        assertEquals("fs1", a.get("name"));
        Object[] kinds = (Object[]) a.get("kinds");
        assertEquals(2, kinds.length);
        assertEquals(Map.of("kind", "MDT", "first", 0, "codes", "R"), kinds[0]);
        Map<?, ?> osts = (Map<?, ?>) kinds[1];
        assertEquals("OST", osts.get("kind"));
        assertEquals(2, osts.get("first"));
        assertEquals("RD--R" + "-".repeat(0x1a - 7) + "R", osts.get("codes"));
        assertEquals(Map.of(), a.get("names"));
        assertEquals(0, a.get("omitted"));
    }

    @Test
    void theVersionFollowsTheContentOnly() {
        Map<String, Object> a = TargetStates.answer("fs1", byName(ok("fs1", 0), ok("fs1", 1)));
        Map<String, Object> same = TargetStates.answer("fs1", byName(ok("fs1", 1), ok("fs1", 0)));
        Map<String, Object> other = TargetStates.answer("fs1", byName(ok("fs1", 0),
                ost("fs1", 1, true, "DISCONN", false, 1000, 500)));
        int v = (Integer) a.get("version");
        assertTrue(v > 0);
        assertEquals(v, same.get("version"));
        assertTrue(v != (Integer) other.get("version"));
        assertEquals(Map.of("name", "fs1", "version", v, "unchanged", true), TargetStates.reply(a, v));
        assertEquals(a, TargetStates.reply(a, 0), "0: the client has nothing yet");
        assertEquals(other, TargetStates.reply(other, v), "an old version gets the whole answer");
    }

    @Test
    void aNameLustreWouldWriteOtherwiseIsListed() {
        NodeState upper = new NodeState("fs1-OST000A", "fs1", "OST", 10, "u", "", true, "FULL", true, 1, 1, 1, 1, 1,
                0);
        Map<String, Object> a = TargetStates.answer("fs1", byName(upper, ok("fs1", 11)));
        assertEquals(Map.of("OST10", "fs1-OST000A"), a.get("names"));
    }

    @Test
    void derivedNamesAreRecognisedWithoutBuildingThem() {
        for (int i : new int[] {0, 9, 10, 0xffff, 0x10000, 0x7fffffff}) {
            assertTrue(TargetStates.isDerivedName(derivedName("fs1", "OST", i), "fs1", "OST", i), "" + i);
        }
        assertEquals(false, TargetStates.isDerivedName("fs1-OST000A", "fs1", "OST", 10));
        assertEquals(false, TargetStates.isDerivedName("fs1-MDT000a", "fs1", "OST", 10));
        assertEquals(false, TargetStates.isDerivedName("fs2-OST000a", "fs1", "OST", 10));
        assertEquals(false, TargetStates.isDerivedName("fs1-OST0000a", "fs1", "OST", 10));
    }

    @Test
    void aWildIndexDoesNotMakeAHugeAnswer() {
        Map<String, Object> a = TargetStates.answer("fs1", byName(ok("fs1", 0), ok("fs1", 0x7fffffff)));
        Map<?, ?> osts = (Map<?, ?>) ((Object[]) a.get("kinds"))[0];
        assertEquals(TargetStates.MAX_SPAN, ((String) osts.get("codes")).length());
        assertEquals(1, a.get("omitted"));
    }

    @Test
    void anEmptyFileSystemHasNoKinds() {
        Map<String, Object> a = TargetStates.answer("fs1", Map.of());
        assertEquals(0, ((Object[]) a.get("kinds")).length);
    }

    /** 100 file systems of 1,000 OSTs, one with a block of 200 down: what one refresh of the page costs. */
    @Test
    void hundredThousandOstsInOneMulticall() {
        Map<String, Map<String, NodeState>> site = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < 100; f++) {
            String fs = String.format("fs%02d", f);
            names.add(fs);
            Map<String, NodeState> nodes = new HashMap<>();
            nodes.put(derivedName(fs, "MDT", 0), mdt(fs, 0, true));
            for (int i = 0; i < 1000; i++) {
                boolean down = f == 42 && i >= 300 && i < 500;
                NodeState n = down ? ost(fs, i, true, "DISCONN", false, 1000, 500) : ok(fs, i);
                nodes.put(n.name(), n);
            }
            site.put(fs, nodes);
        }
        // As CollectorApi answers, less its per-snapshot cache: each call builds its answer.
        XmlRpcEndpoint endpoint = new XmlRpcEndpoint(new MethodTable(List.of(RpcMethod.of("getTargetStates",
                "struct", "test", args -> TargetStates.reply(TargetStates.answer(args.getString(0),
                        site.get(args.getString(0))), args.getInt(1)), "fsName:string", "version:int"))));
        Map<String, Integer> none = new HashMap<>();
        byte[] request = multicall(names, none);

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        byte[] reply = endpoint.handle(request); // warm-up
        int rounds = 20;
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            reply = endpoint.handle(request);
        }
        double cpuMs = (cpu.getCurrentThreadCpuTime() - t0) / 1e6 / rounds;
        long e0 = cpu.getCurrentThreadCpuTime();
        for (int r = 0; r < rounds; r++) {
            for (String fs : names) {
                TargetStates.answer(fs, site.get(fs));
            }
        }
        double encodeMs = (cpu.getCurrentThreadCpuTime() - e0) / 1e6 / rounds;

        Answer a = Answer.parse(reply);
        assertTrue(a.ok(), () -> a.faultString());
        Object[] answers = (Object[]) a.value();
        assertEquals(100, answers.length);
        Map<?, ?> fs42 = (Map<?, ?>) ((Object[]) answers[42])[0];
        String codes = (String) ((Map<?, ?>) ((Object[]) fs42.get("kinds"))[1]).get("codes");
        assertEquals("R".repeat(300) + "D".repeat(200) + "R".repeat(500), codes);
        int gzipped = gzipSize(reply);

        // The next refresh hands back each file system's version: only fs42 changed meanwhile.
        Map<String, Integer> versions = new HashMap<>();
        for (int f = 0; f < answers.length; f++) {
            versions.put(names.get(f), (Integer) ((Map<?, ?>) ((Object[]) answers[f])[0]).get("version"));
        }
        NodeState back = ok("fs42", 300);
        site.get("fs42").put(back.name(), back);
        byte[] again = endpoint.handle(multicall(names, versions));
        Object[] second = (Object[]) Answer.parse(again).value();
        for (int f = 0; f < second.length; f++) {
            Map<?, ?> m = (Map<?, ?>) ((Object[]) second[f])[0];
            assertEquals(f != 42, Boolean.TRUE.equals(m.get("unchanged")), names.get(f));
        }
        System.out.printf("getTargetStates at 100,000 OSTs (100 file systems in one system.multicall): "
                + "%,d bytes (%,d gzipped), %.1f ms CPU a call of which %.1f ms building the answers; "
                + "with the versions handed back and one file system changed: %,d bytes%n",
                reply.length, gzipped, cpuMs, encodeMs, again.length);
        assertTrue(reply.length < 200_000, "a compact answer: " + reply.length + " bytes");
        assertTrue(again.length < reply.length / 5, "unchanged file systems cost little: " + again.length + " bytes");
    }

    private static byte[] multicall(List<String> names, Map<String, Integer> versions) {
        StringBuilder calls = new StringBuilder();
        for (String fs : names) {
            calls.append("<value><struct><member><name>methodName</name><value>getTargetStates</value></member>")
                    .append("<member><name>params</name><value><array><data><value>").append(fs)
                    .append("</value><value><int>").append(versions.getOrDefault(fs, 0))
                    .append("</int></value></data></array></value></member></struct></value>");
        }
        return Answer.call("system.multicall", "<array><data>" + calls + "</data></array>").getBytes(UTF_8);
    }

    private static int gzipSize(byte[] b) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(b);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.size();
    }

    /** The name Lustre gives a target: {@code fs-OST000a}. */
    private static String derivedName(String fs, String kind, int index) {
        return fs + "-" + kind + String.format(java.util.Locale.ROOT, "%04x", index);
    }
}
