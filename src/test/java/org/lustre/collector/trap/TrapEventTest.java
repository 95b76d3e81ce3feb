package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrapEventTest {
    private static TrapEvent event(String message) {
        return new TrapEvent("id", 0, Category.INFO, "fs", "fs-OST0000", message, "test");
    }

    private static Trap stored(String id, String message) {
        return new Trap(1, id, 0, 0, Category.INFO, "fs", "fs-OST0000", message, 1, "test", List.of());
    }

    @Test
    void charactersXmlCannotCarryBecomeQuestionMarks() {
        assertEquals("a?b?c\td", TrapEvent.xmlSafe("a\u0001b\u001bc\td"));
        assertEquals("x?y", TrapEvent.xmlSafe("x\uFFFEy"));
        assertEquals("x?y", TrapEvent.xmlSafe("x\uFFFFy"));
        assertEquals("lone ? surrogate", TrapEvent.xmlSafe("lone \uD83D surrogate"));
        assertEquals("lone ? low", TrapEvent.xmlSafe("lone \uDCBE low"));
        assertEquals("end ?", TrapEvent.xmlSafe("end \uD83D"));
        assertEquals("emoji \uD83D\uDCBE kept, é kept, \uE000\uFFFD kept",
                TrapEvent.xmlSafe("emoji \uD83D\uDCBE kept, é kept, \uE000\uFFFD kept"));
    }

    @Test
    void eventFsAndNodeAreSafeAtOnceTheMessageWhenStored() {
        TrapEvent e = new TrapEvent("id", 0, Category.INFO, "f\u0000s", "n\u0007", "m\u0001", "test");
        assertEquals("f?s", e.fs());
        assertEquals("n?", e.node());
        assertEquals("m\u0001", e.message(), "a storm member's text is never stored, so not scanned");
        Trap t = stored("i\u0002d", "m\u0001");
        assertEquals("m?", t.message());
        assertEquals("i?d", t.id());
    }

    @Test
    void cleanTextIsNotCopied() {
        String m = "fs-OST0000: Connection restored to 10.0.0.1@o2ib1";
        assertSame(m, event(m).message());
        assertSame(m, stored("id", m).message());
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aLongMessageIsCutToTheMaximumAndSaysHowMuchWasLeftOut() {
        String amps = "&".repeat(64 * 1024);
        String m = event(amps).message();
        assertTrue(utf8(m) <= TrapEvent.MAX_MESSAGE_BYTES, "bytes: " + utf8(m));
        int kept = m.indexOf(" [cut: ");
        assertTrue(kept > TrapEvent.MAX_MESSAGE_BYTES - 64, "kept " + kept);
        assertEquals("&".repeat(kept) + " [cut: " + (64 * 1024 - kept) + " bytes]", m);
        // the stored trap holds no more either
        assertTrue(utf8(stored("id", amps).message()) <= TrapEvent.MAX_MESSAGE_BYTES);
    }

    @Test
    void cutsFallBetweenCharactersAndAMessageAtTheMaximumIsKept() {
        String m = event("\u00e9".repeat(3000) + "\uD83D\uDCBE".repeat(500)).message(); // 2-byte and 4-byte characters
        assertTrue(utf8(m) <= TrapEvent.MAX_MESSAGE_BYTES);
        String kept = m.substring(0, m.indexOf(" [cut: "));
        assertEquals(kept, new String(kept.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "no split character");
        assertEquals(6000 + 2000 - utf8(kept), Integer.parseInt(m.replaceAll(".* \\[cut: (\\d+) bytes\\]$", "$1")));
        String exact = "x".repeat(TrapEvent.MAX_MESSAGE_BYTES);
        assertSame(exact, event(exact).message());
    }

    @Test
    void longIdsStayUniqueAndDerivedFromTheIdAlone() {
        String base = "i".repeat(10_000);
        TrapEvent a = new TrapEvent(base + "a", 0, Category.INFO, "fs", "n", "m", "test");
        TrapEvent b = new TrapEvent(base + "b", 0, Category.INFO, "fs", "n", "m", "test");
        assertTrue(utf8(a.id()) <= TrapEvent.MAX_NAME_BYTES, a.id());
        assertNotEquals(a.id(), b.id());
        assertEquals(a.id(), new TrapEvent(base + "a", 0, Category.INFO, "fs", "n", "m", "test").id());
        TrapEvent names = new TrapEvent("id", 0, Category.INFO, "f".repeat(70_000), "n".repeat(70_000), "m", "test");
        assertTrue(utf8(names.fs()) <= TrapEvent.MAX_NAME_BYTES && utf8(names.node()) <= TrapEvent.MAX_NAME_BYTES);
    }
}
