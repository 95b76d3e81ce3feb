package org.lustre.collector.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TrapEventTest {
    private static TrapEvent event(String message) {
        return new TrapEvent("id", 0, Category.INFO, "fs", "fs-OST0000", message, "test");
    }

    @Test
    void charactersXmlCannotCarryBecomeQuestionMarks() {
        assertEquals("a?b?c\td", event("a\u0001b\u001bc\td").message());
        assertEquals("x?y", event("x\uFFFEy").message());
        assertEquals("lone ? surrogate", event("lone \uD83D surrogate").message());
        assertEquals("emoji \uD83D\uDCBE kept, é kept", event("emoji \uD83D\uDCBE kept, é kept").message());
    }

    @Test
    void cleanTextIsNotCopied() {
        String m = "fs-OST0000: Connection restored to 10.0.0.1@o2ib1";
        assertSame(m, event(m).message());
    }
}
