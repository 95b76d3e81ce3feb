package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
