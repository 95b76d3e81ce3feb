package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LustreVersionParserTest {

    @Test
    void readsTheRealVersionFiles() throws Exception {
        assertEquals("2.12.9_12.llnl", LustreVersionParser.parse("v", Fixtures.llnl("sys/fs/lustre/version")));
        assertEquals("2.10.1", LustreVersionParser.parse("v", Fixtures.hpe("sys/fs/lustre/version")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.14.0_ddn145\n", "2.15.62_11_gabcdef0\n", "lustre: 2.15.4_1.llnl\nkernel: patchless\n"})
    void acceptsBuildSuffixes(String text) throws Exception {
        String v = LustreVersionParser.parse("v", text);
        assertEquals(text.replace("lustre: ", "").lines().findFirst().orElseThrow(), v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage\n", "v2.15\n", "2\n", "2.15 extra words\n"})
    void rejectsMalformed(String text) {
        assertThrows(LustreParseException.class, () -> LustreVersionParser.parse("v", text));
    }
}
