package org.lustre.collector.lustre;

/**
 * Parses {@code osp/<fs>-OSTxxxx-osc-MDTxxxx/ost_server_uuid}: {@code <uuid>\t<STATE>} with a
 * third field {@code DEACTIVATED} when the import was deactivated by the administrator. proc in
 * 2.10, debugfs ({@code sys/kernel/debug/lustre/osp/}) from 2.12 on. Stateless; any thread.
 */
final class OstServerUuidParser {
    private static final java.util.regex.Pattern BLANKS = java.util.regex.Pattern.compile("\\s+");

    record OstServerUuid(String uuid, String state, boolean deactivated) {
    }

    private OstServerUuidParser() {
    }

    static OstServerUuid parse(String path, String text) throws LustreParseException {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new LustreParseException(path, 0, "empty file");
        }
        if (t.indexOf('\n') >= 0) {
            throw LustreParseException.atLine(path, 2, t.substring(t.indexOf('\n') + 1), "more than one line");
        }
        String[] f = BLANKS.split(t);
        if (f.length < 2 || f.length > 3) {
            throw LustreParseException.atLine(path, 1, t, "want \"<uuid>\\t<STATE>[\\tDEACTIVATED]\"");
        }
        if (!ImportParser.isStateName(f[1])) {
            throw LustreParseException.atLine(path, 1, t, "not an import state: " + f[1]);
        }
        boolean deactivated = false;
        if (f.length == 3) {
            if (!f[2].equals("DEACTIVATED")) {
                throw LustreParseException.atLine(path, 1, t, "third field is not DEACTIVATED");
            }
            deactivated = true;
        }
        return new OstServerUuid(f[0], f[1], deactivated);
    }
}
