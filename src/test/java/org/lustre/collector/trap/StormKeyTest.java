package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StormKeyTest {

    @Test
    void masksTargetNameAndNidAddressButKeepsTheNetwork() {
        String msg = "lustrefs-OST0003-osc-MDT0000: Connection to lustrefs-OST0003 (at 172.20.20.6@o2ib1) was lost;"
                + " in progress operations using this service will wait for recovery to complete";
        assertEquals("lustrefs-OST*-osc-MDT0000: Connection to lustrefs-OST* (at *@o2ib1) was lost;"
                        + " in progress operations using this service will wait for recovery to complete",
                StormKey.mask(msg, "lustrefs-OST0003"));
    }

    @Test
    void twoTargetsOnTheSameNetworkAreAlikeOnDifferentNetworksNot() {
        StormKey a = StormKey.of(lost("lustrefs-OST0003", "10.0.0.3@o2ib1"));
        StormKey b = StormKey.of(lost("lustrefs-OST1a2b", "10.0.9.77@o2ib1"));
        StormKey c = StormKey.of(lost("lustrefs-OST0004", "10.0.0.4@tcp"));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void nodeIsMaskedAsAWholeWordOnly() {
        assertEquals("lustrefs-OST* and lustrefs-OST00010",
                StormKey.mask("lustrefs-OST0001 and lustrefs-OST00010", "lustrefs-OST0001"));
        assertEquals("* gone, oss12x stays", StormKey.mask("oss12 gone, oss12x stays", "oss12"));
    }

    @Test
    void nodeGivenAsNidDisappearsWithTheNids() {
        assertEquals("peer *@o2ib is down", StormKey.mask("peer 10.1.1.1@o2ib is down", "10.1.1.1@o2ib"));
    }

    @ParameterizedTest
    @CsvSource({"lustrefs-OST0004, lustrefs-OST*", "testfs-MDT0000, testfs-MDT*", "oss12, *", "'', *"})
    void maskedNode(String node, String masked) {
        assertEquals(masked, StormKey.maskedNode(node));
    }

    @Test
    void networkOfTheFirstNid() {
        assertEquals("o2ib1", StormKey.network("Connection to X (at 10.1.2.3@o2ib1) was lost via 10.9.9.9@tcp"));
        assertEquals("tcp", StormKey.network("restored to 192.168.14.178@tcp (at 192.168.14.178@tcp)"));
        assertNull(StormKey.network("no nid here"));
    }

    /** IPv6 NIDs (real DDN capture: fd00:172:16:11::5@tcp): two disconnects through tcp are one kind. */
    @Test
    void ipv6NidsAreMaskedAndGiveTheirNetwork() {
        StormKey a = StormKey.of(lost("es01a-OST0000", "fd00:172:16:11::5@tcp"));
        StormKey b = StormKey.of(lost("es01a-OST0001", "fd00:172:16:11::6@tcp"));
        assertEquals(a, b);
        assertEquals("tcp", a.network());
        assertEquals("es01a-OST*-osc-MDT0000: Connection to es01a-OST* (at *@tcp) was lost", a.pattern());
        assertEquals("tcp1", StormKey.network("peer 12345-2601:8c1:4b00::36b6@tcp1 down"));
        assertNull(StormKey.network("time 12:30:01@ noon"), "an '@' not followed by a word is no NID");
        assertNull(StormKey.network("label a:b@tcp"), "one ':' is no IPv6 address");
    }

    @Test
    void keysAreEqualExactlyWhenFsCategoryAndPatternAre() {
        StormKey a = new StormKey("fs1", Category.CRITICAL, "x *@o2ib");
        assertEquals(a, new StormKey("fs1", Category.CRITICAL, "x *@o2ib"));
        assertEquals(a.hashCode(), new StormKey("fs1", Category.CRITICAL, "x *@o2ib").hashCode());
        assertNotEquals(a, new StormKey("fs2", Category.CRITICAL, "x *@o2ib"));
        assertNotEquals(a, new StormKey("fs1", Category.WARNING, "x *@o2ib"));
        assertNotEquals(a, new StormKey("fs1", Category.CRITICAL, "x *@tcp"));
        assertNotEquals(a, StormKey.catchAll("fs1", Category.CRITICAL));
        assertEquals(StormKey.catchAll("fs1", Category.CRITICAL), StormKey.catchAll("fs1", Category.CRITICAL));
    }

    @Test
    void nidsAreFoundWhereTheRegexFindsThem() {
        assertEquals("1.*@tcp", StormKey.mask("1.2.3.4.5@tcp", ""));
        assertEquals("abc*@tcp0_x.", StormKey.mask("abc1.2.3.4@tcp0_x.", ""));
        assertEquals("1.2.3.4@ and 1.2.3@tcp and *@a1.2.3.4@b", StormKey.mask("1.2.3.4@ and 1.2.3@tcp and 1.2.3.4@a1.2.3.4@b", ""));
        assertEquals("x-OST*", StormKey.maskedNode("x-OST0a"));
        assertEquals("*", StormKey.maskedNode("x\n-OST0a"));
        assertEquals("-MDT*", StormKey.maskedNode("-MDT1"));
        assertEquals("a-OSTx-OST*", StormKey.maskedNode("a-OSTx-OST5"));
        assertEquals("*", StormKey.maskedNode("a-OST5-"));
        assertEquals("*", StormKey.maskedNode("a-OST"));
    }

    /** The hand-written scan against the regexes it replaced, on many generated messages and nodes. */
    @Test
    void handWrittenMaskingMatchesTheRegexes() {
        Random rnd = new Random(42);
        String[] pieces = {"1", "22", "333", ".", "@", "o2ib", "tcp1", "_", "-", " ", "(at ", ")", "lustrefs-OST",
            "-MDT", "00a3", "G", "\u00e9", "\u0661", "\n", "\u2028", "fs1-OST0003", "oss12", "x", "*@",
            ":", "::", "fd00", "a", "F"};
        for (int n = 0; n < 50_000; n++) {
            String message = random(rnd, pieces, 1 + rnd.nextInt(25));
            String node = switch (rnd.nextInt(4)) {
                case 0 -> "";
                case 1 -> random(rnd, pieces, 1 + rnd.nextInt(5));
                default -> {
                    // a node that occurs in the message, so the whole-word rule is exercised
                    int a = rnd.nextInt(message.length());
                    yield message.substring(a, a + 1 + rnd.nextInt(Math.min(12, message.length() - a)));
                }
            };
            String what = "message '" + message + "' node '" + node + "'";
            assertEquals(StormKeyRegexes.mask(message, node), StormKey.mask(message, node), what);
            assertEquals(StormKeyRegexes.network(message), StormKey.network(message), what);
            assertEquals(StormKeyRegexes.maskedNode(node), StormKey.maskedNode(node), what);
            assertEquals(StormKeyRegexes.maskedNode(message), StormKey.maskedNode(message), what);
        }
    }

    private static String random(Random rnd, String[] pieces, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    static TrapEvent lost(String node, String nid) {
        return new TrapEvent("id-" + node, 0, Category.CRITICAL, "lustrefs", node,
                node + "-osc-MDT0000: Connection to " + node + " (at " + nid + ") was lost", "kmsg");
    }
}
