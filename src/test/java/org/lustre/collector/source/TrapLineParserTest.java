package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class TrapLineParserTest {

    private static String tabs(String s) {
        return s.replace('|', '\t');
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        // line ('|' = TAB); id; millis; category; fs; node; message
        "a1|1696590759|0|lustrefs|lustrefs-OST0003|connection lost; a1; 1696590759000; INFO; lustrefs; lustrefs-OST0003; connection lost",
        "a2|1696590759.25|Warning|lustrefs|lustrefs-OST0003|x; a2; 1696590759250; WARNING; lustrefs; lustrefs-OST0003; x",
        "a3|1696590759.123456|critical|fs1|fs1-MDT0000|msg; a3; 1696590759123; CRITICAL; fs1; fs1-MDT0000; msg",
        "a4|0.5|FATAL|||LBUG on mds1; a4; 500; FATAL; ''; ''; LBUG on mds1",
        "a5|1696590759|3|fs|fs-OST0001|tabs|inside|message; a5; 1696590759000; FATAL; fs; fs-OST0001; tabs\tinside\tmessage",
        "' a6 |12.0|2|fs|n|trailing CR\r'; a6; 12000; CRITICAL; fs; n; trailing CR",
        "a7|1696590759|1|fs|n|äöü ✓ UTF-8; a7; 1696590759000; WARNING; fs; n; äöü ✓ UTF-8",
    })
    void goodLines(String line, String id, long millis, Category category, String fs, String node, String message)
            throws SourceParseException {
        TrapEvent e = TrapLineParser.parse(tabs(line));
        assertEquals(new TrapEvent(id, millis, category, fs, node, message, "trapfile"), e);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "a1|1696590759|0|fs|node; too few fields",
        "a1; too few fields",
        "|1696590759|0|fs|node|msg; empty id",
        "  |1696590759|0|fs|node|msg; empty id",
        "a1|yesterday|0|fs|node|msg; bad time",
        "a1|-5|0|fs|node|msg; bad time",
        "a1|1e9|0|fs|node|msg; bad time",
        "a1|12.|0|fs|node|msg; bad time",
        "a1||0|fs|node|msg; bad time",
        "a1|1696590759|4|fs|node|msg; bad category",
        "a1|1696590759|Error|fs|node|msg; bad category",
        "a1|1696590759||fs|node|msg; bad category",
    })
    void badLines(String line, String reason) {
        SourceParseException e = assertThrows(SourceParseException.class, () -> TrapLineParser.parse(tabs(line)));
        assertTrue(e.reason().startsWith(reason), e.reason());
        assertEquals(tabs(line), e.line());
    }

    @Test
    void blankAndCommentLinesCarryNoTrap() throws SourceParseException {
        assertNull(TrapLineParser.parse(""));
        assertNull(TrapLineParser.parse("   \t "));
        assertNull(TrapLineParser.parse("# id time category fs node message"));
        assertTrue(TrapLineParser.isSkipped("#"));
    }

    @Test
    void timeFieldFollowsTheRegexRule() throws SourceParseException {
        assertEquals(999_999_999_999_000L, TrapLineParser.parse(tabs("a|999999999999|0|f|n|m")).eventTimeMillis());
        assertEquals(1_007L, TrapLineParser.parse(tabs("a| 1.0079 |0|f|n|m")).eventTimeMillis());
        SourceParseException e = assertThrows(SourceParseException.class,
                () -> TrapLineParser.parse(tabs("a|1234567890123|0|f|n|m")));
        assertEquals("bad time '1234567890123' (want epoch seconds, optional fraction)", e.reason());
        assertThrows(SourceParseException.class, () -> TrapLineParser.parse(tabs("a|\u0661\u0662|0|f|n|m")));
        assertThrows(SourceParseException.class, () -> TrapLineParser.parse(tabs("a|.5|0|f|n|m")));
        assertThrows(SourceParseException.class, () -> TrapLineParser.parse(tabs("a|1.5.|0|f|n|m")));
        assertThrows(SourceParseException.class, () -> TrapLineParser.parse(tabs("a|1 5|0|f|n|m")));
    }

    /** The hand-written parser against the split + regex one it replaced, on many generated lines. */
}
