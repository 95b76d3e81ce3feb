package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberParserTest {

    @Test
    void readsTheSpaceFilesOfThe210Tree() throws Exception {
        String dir = String.format(Fixtures.HPE_OSP, 0);
        assertEquals(47168369664L, NumberParser.parse("kbytestotal", Fixtures.hpe(dir + "kbytestotal")));
        assertEquals(47167063040L, NumberParser.parse("kbytesfree", Fixtures.hpe(dir + "kbytesfree")));
        assertEquals(155098249L, NumberParser.parse("filestotal", Fixtures.hpe(dir + "filestotal")));
        assertEquals(2241506560L, NumberParser.parse("kbytestotal",
                Fixtures.hpe("proc/fs/lustre/lod/lustrefs-MDT0000-mdtlov/kbytestotal")));
        assertTrue(NumberParser.parseFlag("active", Fixtures.hpe(dir + "active")));
    }

    @Test
    void readsActiveFlagsOfThe214Dump() throws Exception {
        Map<String, String> p = Fixtures.params("osp-active-max_create_count.txt");
        assertTrue(NumberParser.parseFlag("active", p.get("osp.tesfs-OST0000-osc-MDT0000.active")));
        assertFalse(NumberParser.parseFlag("active", p.get("osp.tesfs-OST0001-osc-MDT0000.active")));
        assertEquals(0, NumberParser.parse("max_create_count", p.get("osp.tesfs-OST0001-osc-MDT0000.max_create_count")));
        assertEquals(16384, NumberParser.parse("max_create_count", p.get("osp.tesfs-OST0002-osc-MDT0000.max_create_count")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage\n", "12 34\n", "-5\n", "1.5\n", "18446744073709551615\n", "12\n13\n", "0x10\n"})
    void rejectsMalformedNumbers(String text) {
        LustreParseException e = assertThrows(LustreParseException.class, () -> NumberParser.parse("f", text));
        assertTrue(e.getMessage().startsWith("f"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2\n", "yes\n", "-1\n", "1 0\n"})
    void rejectsMalformedFlags(String text) {
        assertThrows(LustreParseException.class, () -> NumberParser.parseFlag("active", text));
    }

    @Test
    void messageQuotesTheBadLine() {
        LustreParseException e = assertThrows(LustreParseException.class,
                () -> NumberParser.parse("osp/x/kbytesfree", "12a\n"));
        assertEquals("osp/x/kbytesfree:1: not a non-negative decimal number: \"12a\"", e.getMessage());
    }
}
