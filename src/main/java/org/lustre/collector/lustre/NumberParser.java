package org.lustre.collector.lustre;

import java.util.regex.Pattern;

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

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    /** The one non-negative number of the file. */
    static long parse(String path, String text) throws LustreParseException {
        String value = singleLine(path, text);
        if (!DIGITS.matcher(value).matches()) {
            throw LustreParseException.atLine(path, 1, value, "not a non-negative decimal number");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw LustreParseException.atLine(path, 1, value, "number out of range");
        }
    }

    /** An {@code active} file: 1 is true, 0 false, anything else an error. */
    static boolean parseFlag(String path, String text) throws LustreParseException {
        String value = singleLine(path, text);
        if (value.equals("0") || value.equals("1")) {
            return value.equals("1");
        }
        throw LustreParseException.atLine(path, 1, value, "want 0 or 1");
    }

    /** The file's one line, stripped. */
    private static String singleLine(String path, String text) throws LustreParseException {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new LustreParseException(path, 0, "empty file");
        }
        int nl = value.indexOf('\n');
        if (nl >= 0) {
            throw LustreParseException.atLine(path, 2, value.substring(nl + 1).strip(),
                    "more than one line in a single-value file");
        }
        return value;
    }
}
