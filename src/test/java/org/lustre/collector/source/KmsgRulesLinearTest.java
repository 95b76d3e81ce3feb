package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lustre.collector.source.KmsgRuleTable.Rule;

/**
 * Hostile console lines (any user can write one with {@code logger -t kernel} into a syslog or
 * console file) cost KmsgRules work linear in the bounded line length. Measured by counting the
 * characters the regex engine reads ({@link CharSequence#charAt}), not by the clock: doubling a
 * line may at most double the reads (a backtracking pattern quadruples them), and a 64 KiB line
 * costs what its first {@value KmsgRules#MAX_CHARS} characters cost.
 *
 * <p>The families repeat the words each rule looks for, which is what makes a pattern with
 * {@code .*X.*Y} backtrack. With the former router rule ({@code ^LNet(?:Error)?: .*\b[Rr]outer\b.*\b(?:down|dead)\b})
 * put back in the table, the first family reads 1,438,568 characters at 2 KiB and 5,616,971 at
 * 4 KiB (four times: quadratic) and this test fails; the table as it is reads 75,524 and 151,909.
 */
class KmsgRulesLinearTest {

    /** A CharSequence that counts every character read through it and through its subsequences. */
    static final class Counting implements CharSequence {
        private final CharSequence s;
        private final long[] reads;

        Counting(CharSequence s, long[] reads) {
            this.s = s;
            this.reads = reads;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            reads[0]++;
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counting(s.subSequence(start, end), reads);
        }

        @Override
        public String toString() {
            return s.toString();
        }
    }

    static long reads(String line) {
        long[] reads = {0};
        KmsgRules.classify(new Counting(line, reads));
        return reads[0];
    }

    /** {@code prefix} followed by {@code token} repeated, cut to exactly {@code length} characters. */
    static String line(String prefix, String token, int length) {
        StringBuilder sb = new StringBuilder(length + token.length()).append(prefix);
        while (sb.length() < length) {
            sb.append(token);
        }
        sb.setLength(length);
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}[{1}]...")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "LNetError: |'router '",
        "LNetError: No route to |' '",
        "LNetError: No route to |.",
        "LNetError: |'No route to 12345-'",
        "LustreError: |'ASSERTION( '",
        "Lustre: |'Connection to '",
        "Lustre: |'Connection to x (at '",
        "Lustre: |'Connection restored to  (at '",
        "LustreError: |'1.2.3.4@tcp '",
        "LustreError: |1.2.3.",
        "LustreError: |'fd00:'",
        "LustreError: |:",
        "LustreError: |lustrefs-",
        "LustreError: |lustre-OST",
        "LustreError: |'rc = -'",
        "Lustre: |'Recovery over after 1:00, of 2 clients 0 recovered and '",
        "Lustre: |'haven''t heard from client x (at '",
        "Lustre: |'evicting x (at '",
        "LustreError: |'operation x to node '",
        "LustreError: 1:2:(|a",
        "LustreError: MGC|x",
        "LustreError: |'from log a-'",
        "LDISKFS-fs |'error '",
        "Lustre: |'service thread pid 1 '",
        "LNetError: |'timeout '",
        "Lustre: |'Skipped 1 previous '",
        "Lustre: |9",
    })
    void readsGrowLinearlyAndStopAtTheBound(String prefix, String token) {
        long half = reads(line(prefix, token, KmsgRules.MAX_CHARS / 2));
        long full = reads(line(prefix, token, KmsgRules.MAX_CHARS));
        long huge = reads(line(prefix, token, 64 * 1024));
        // linear: twice the text, about twice the reads (quadratic: four times)
        assertTrue(full <= 3 * half + 1_000, "reads at 2 KiB " + half + ", at 4 KiB " + full);
        // bounded: nothing past MAX_CHARS is read
        assertTrue(huge <= full + 1_000, "reads at 4 KiB " + full + ", at 64 KiB " + huge);
        // and small: a few hundred reads a character for the whole table
        assertTrue(huge <= 400L * KmsgRules.MAX_CHARS, "reads at 64 KiB " + huge);
    }

    @Test
    void aCutMessageSaysSo() {
        KmsgRules.Match m = KmsgRules.classify("LustreError: " + "x".repeat(70_000));
        assertTrue(m.message().endsWith(" [...]"), m.message().substring(m.message().length() - 20));
        assertTrue(m.message().length() < KmsgRules.MAX_CHARS + 10, "length " + m.message().length());
    }

    /** No pattern of the table may hold an unbounded quantifier: that is what backtracks. */
    @Test
    void noRulePatternHasAnUnboundedQuantifier() {
        Pattern unbounded = Pattern.compile("(?<!\\\\)[*+]|\\{\\d+,\\}");
        for (Rule r : KmsgRuleTable.RULES) {
            assertTrue(!unbounded.matcher(r.pattern().pattern()).find(), r.kind() + ": " + r.pattern().pattern());
        }
        assertEquals(false, unbounded.matcher(KmsgRules.NID.pattern()).find());
        assertEquals(false, unbounded.matcher(KmsgRules.TARGET.pattern()).find());
        assertEquals(false, unbounded.matcher(KmsgRules.LOCATION.pattern()).find());
        assertEquals(false, unbounded.matcher(KmsgRules.MGS_DEVICE.pattern()).find());
        assertEquals(false, unbounded.matcher(KmsgRules.CLIENT_LOG.pattern()).find());
    }
}
