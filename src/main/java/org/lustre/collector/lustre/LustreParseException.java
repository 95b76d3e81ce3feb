package org.lustre.collector.lustre;

/**
 * A Lustre file whose content does not have the expected form. Names the file, the 1-based
 * line (0 when the whole text is at fault, e.g. empty) and quotes the bad line.
 * Checked, so every caller decides explicitly to count and skip it (bad input never stops a scan).
 */
final class LustreParseException extends Exception {
    private static final long serialVersionUID = 1L;

    LustreParseException(String path, int lineNo, String reason) {
        super(path + (lineNo > 0 ? ":" + lineNo : "") + ": " + reason);
    }

    /** Builds the exception for one line, quoting it (shortened when long). */
    static LustreParseException atLine(String path, int lineNo, String line, String reason) {
        String quoted = line.length() <= 120 ? line : line.substring(0, 120) + "...";
        return new LustreParseException(path, lineNo, reason + ": \"" + quoted + "\"");
    }
}
