package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StormAggregateTest {

    private static TrapEvent ev(int i, String net) {
        String node = String.format("fs1-OST%04x", i);
        return new TrapEvent("e" + i, 5_000, Category.CRITICAL, "fs1", node,
                node + " lost (at 10.0.0." + i + "@" + net + ")", "kmsg");
    }

    private static StormAggregate aggregate(int onNet, int onOther) {
        TrapEvent first = ev(0, "o2ib1");
        StormAggregate a = new StormAggregate(StormKey.catchAll("fs1", Category.CRITICAL), StormKey.of(first), first,
                0, 3, false);
        for (int i = 1; i < onNet; i++) {
            add(a, ev(i, "o2ib1"), i);
        }
        for (int i = 0; i < onOther; i++) {
            add(a, ev(100 + i, "tcp" + (i % 6)), 100 + i); // more networks than are tallied by name
        }
        return a;
    }

    /** As the coalescer adds a member: with the network its key found. */
    private static void add(StormAggregate a, TrapEvent e, long now) {
        a.add(e, StormKey.of(e).network(), now);
    }

    @Test
    void networkSuspectAtNinetyPercent() {
        assertEquals("o2ib1", aggregate(9, 1).suspectNetwork());
        assertNull(aggregate(8, 2).suspectNetwork());
        assertTrue(aggregate(90, 10).summary().endsWith("; router or network suspect: o2ib1"));
        assertFalse(aggregate(89, 11).summary().contains("suspect"));
    }

    @Test
    void publishedTrapCarriesCountFirstNamesAndFirstMember() {
        StormAggregate a = aggregate(20, 0);
        a.addRepeats(5);
        Trap t = a.publish(42, 1234);
        assertEquals(42, t.seq());
        assertEquals(42, a.seq());
        assertEquals(25, t.count());
        assertEquals("e0~storm", t.id());
        assertEquals(5, t.eventTime());
        assertEquals(1234, t.time());
        assertEquals("fs1-OST0000", t.node());
        assertEquals(java.util.List.of("fs1-OST0000", "fs1-OST0001", "fs1-OST0002"), t.nodes());
        assertTrue(t.message().startsWith("storm of several kinds (first: fs1-OST* lost (at *@o2ib1)): 25 events in 19 ms"),
                t.message());
    }
}
