package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StormCoalescerTest {

    @Test
    void keysOfLongMessagesRetainABoundedPrefix() {
        // ~3,000 distinct 64 KiB lines (more here) kept the whole of each in the 4,096 tracked keys.
        StormCoalescer c = new StormCoalescer(StormPolicy.DEFAULT);
        String filler = "x".repeat(64 * 1024);
        int n = StormCoalescer.MAX_TRACKED_KEYS + 500;
        for (int i = 0; i < n; i++) {
            TrapEvent e = new TrapEvent("e" + i, 0, Category.WARNING, "fs1", "", i + " " + filler, "trapfile");
            c.offer(e, i, false);
        }
        long perKey = StormKey.MAX_RETAINED_CHARS;
        long retained = c.retainedKeyChars();
        assertTrue(retained <= StormCoalescer.MAX_TRACKED_KEYS * perKey, "retained " + retained);
        assertTrue(retained <= StormCoalescer.MAX_TRACKED_KEYS * (StormKey.PREFIX_CHARS + "fs1".length()),
                "retained " + retained);
    }

    @Test
    void messagesAlikeInTheirPrefixAreOneKind() {
        String head = "y".repeat(StormKey.PREFIX_CHARS);
        StormKey a = StormKey.of(new TrapEvent("a", 0, Category.INFO, "fs", "", head + " tail one", "t"));
        StormKey b = StormKey.of(new TrapEvent("b", 0, Category.INFO, "fs", "", head + " tail two", "t"));
        assertEquals(a, b);
        assertEquals(StormKey.PREFIX_CHARS, a.pattern().length());
    }
}
