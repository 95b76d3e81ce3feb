package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;

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
    @Test
    void handWrittenParserMatchesTheSplitAndRegexReference() {
        Random rnd = new Random(7);
        String[] ids = {"a1", "", " ", " x ", "#c", "id\u2003"};
        String[] times = {"1", "69", "0", ".", "25", " ", "123456", "\u0661", "-", "e", "\u2003", "x"};
        String[] categories = {"0", "3", "4", " 2 ", "Info", "critical", "FATAL", "", "Error", "\u0662"};
        String[] texts = {"fs1", "fs1-OST0003", "", " ", "\r", "\u00e4", "\u2003", "a b", "\t", "\u00a0", "\u001c",
            "\ud834\udd1e", "\ud834", "\u3000"};
        int parsed = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder time = new StringBuilder();
            for (int k = rnd.nextInt(5); k > 0; k--) {
                time.append(times[rnd.nextInt(times.length)]);
            }
            String line = String.join("\t", ids[rnd.nextInt(ids.length)], time,
                    categories[rnd.nextInt(categories.length)], texts[rnd.nextInt(texts.length)],
                    texts[rnd.nextInt(texts.length)], texts[rnd.nextInt(texts.length)] + texts[rnd.nextInt(texts.length)]);
            if (rnd.nextInt(8) == 0) {
                // too few fields, or a TAB moved
                int t = line.indexOf('\t', rnd.nextInt(line.length()));
                if (t >= 0) {
                    line = line.substring(0, t) + line.substring(t + 1);
                }
            }
            Object want;
            Object got;
            try {
                want = Reference.parse(line);
            } catch (SourceParseException e) {
                want = e.reason();
            }
            try {
                got = TrapLineParser.parse(line);
                parsed += got == null ? 0 : 1;
            } catch (SourceParseException e) {
                got = e.reason();
            }
            assertEquals(want, got, line);
        }
        assertTrue(parsed > 1_000, "too few generated lines parse: " + parsed);
    }

    /** TrapLineParser.parse as it was before it was written by hand (the reference). */
    private static final class Reference {
        private static final Pattern TIME = Pattern.compile("\\d{1,12}(\\.\\d+)?");

        static TrapEvent parse(String line) throws SourceParseException {
            if (TrapLineParser.isSkipped(line)) {
                return null;
            }
            String[] f = line.split("\t", 6);
            if (f.length < 6) {
                throw new SourceParseException(line, "too few fields: " + f.length
                        + " of 6 (id time category fs node message, TAB-separated)");
            }
            String id = f[0].trim();
            if (id.isEmpty()) {
                throw new SourceParseException(line, "empty id");
            }
            String t = f[1].trim();
            if (!TIME.matcher(t).matches()) {
                throw new SourceParseException(line, "bad time '" + t + "' (want epoch seconds, optional fraction)");
            }
            int dot = t.indexOf('.');
            long millis;
            if (dot < 0) {
                millis = Long.parseLong(t) * 1000;
            } else {
                String frac = (t.substring(dot + 1) + "000").substring(0, 3);
                millis = Long.parseLong(t.substring(0, dot)) * 1000 + Integer.parseInt(frac);
            }
            Category category;
            try {
                category = Category.parse(f[2]);
            } catch (IllegalArgumentException e) {
                throw new SourceParseException(line, "bad category '" + f[2]
                        + "' (want 0-3 or Info/Warning/Critical/Fatal)");
            }
            return new TrapEvent(id, millis, category, f[3].trim(), f[4].trim(), f[5].strip(), TrapLineParser.SOURCE);
        }
    }
}
