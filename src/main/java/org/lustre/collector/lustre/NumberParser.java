package org.lustre.collector.lustre;

/**
 * Parses the single-value files: {@code kbytestotal}, {@code kbytesfree}, {@code kbytesavail},
 * {@code filestotal}, {@code filesfree} of {@code osp/<fs>-OSTxxxx-osc-MDTxxxx/} and
 * {@code lod/<fs>-MDTxxxx-mdtlov/}, and {@code active} (0 or 1). proc in 2.10, sysfs
 * ({@code sys/fs/lustre/...}) from 2.12 on. The file holds one unsigned decimal number and a
 * newline. Stateless; any thread.
 */
final class NumberParser {
    private NumberParser() {
    }

    /** The one non-negative number of the file. */
    static long parse(String path, String text) throws LustreParseException {
        // By index, without strip() or a stream: seven of these per OST read.
        int from = first(text);
        int to = last(text, from);
        checkSingleLine(path, text, from, to);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw LustreParseException.atLine(path, 1, text.substring(from, to), "not a non-negative decimal number");
            }
        }
        try {
            return Long.parseLong(text, from, to, 10);
        } catch (NumberFormatException e) {
            throw LustreParseException.atLine(path, 1, text.substring(from, to), "number out of range");
        }
    }

    /** An {@code active} file: 1 is true, 0 false, anything else an error. */
    static boolean parseFlag(String path, String text) throws LustreParseException {
        int from = first(text);
        int to = last(text, from);
        checkSingleLine(path, text, from, to);
        if (to - from == 1 && (text.charAt(from) == '0' || text.charAt(from) == '1')) {
            return text.charAt(from) == '1';
        }
        throw LustreParseException.atLine(path, 1, text.substring(from, to), "want 0 or 1");
    }

    private static int first(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int last(String text, int from) {
        int i = text.length();
        while (i > from && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static void checkSingleLine(String path, String text, int from, int to) throws LustreParseException {
        if (from == to) {
            throw new LustreParseException(path, 0, "empty file");
        }
        int nl = text.indexOf('\n', from);
        if (nl >= 0 && nl < to) {
            throw LustreParseException.atLine(path, 2, text.substring(nl + 1, to).strip(),
                    "more than one line in a single-value file");
        }
    }
}
