package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code osp/<fs>-OSTxxxx-osc-MDTxxxx/import}, the YAML-like description of the MDS's
 * connection to one OST: {@code import:} then indented {@code key: value} lines, with sections
 * ({@code connect_data:}, {@code connection:}, {@code rpcs:} ...). proc in 2.10, debugfs
 * ({@code sys/kernel/debug/lustre/osp/}) from 2.12 on. Two forms of the {@code connection:}
 * section exist:
 * <pre>
 *   2.10-2.15:  failover_nids: [ 172.20.20.5@o2ib, 172.20.20.6@o2ib ]
 *               current_connection: 172.20.20.5@o2ib
 *   2.16+:      failover_nids: [ "172.20.20.5@o2ib", "172.20.20.6@o2ib" ]
 *               nids_stats:
 *                  "172.20.20.5@o2ib": { connects: 1, replied: 1, uptodate: true, sec_ago: 3 }
 *               current_connection: "172.20.20.5@o2ib"
 * </pre>
 * Only what the collector uses is kept: name, target, state, failover NIDs and the current NID
 * ({@code <none>} gives ""). Stateless; any thread.
 */
final class ImportParser {
    record Import(String name, String target, String state, List<String> failoverNids, String currentNid) {
        Import {
            failoverNids = List.copyOf(failoverNids);
        }
    }

    private ImportParser() {
    }

    /** True for the names ptlrpc gives import states: FULL, DISCONN, REPLAY_LOCKS, {@code <UNKNOWN>}... */
    static boolean isStateName(String s) {
        // [A-Z][A-Z_]*|<UNKNOWN>, without a regex (one call per import read).
        if (s.equals("<UNKNOWN>")) {
            return true;
        }
        if (s.isEmpty() || s.charAt(0) < 'A' || s.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks the text by index rather than by line strings: the scanner parses about 250 imports
     * of ~1.2 KB per scan, and a String per line, per strip and per key was half of what a scan
     * allocated. Only the values kept are copied. Lines end as {@link String#lines()} ends them.
     */
    static Import parse(String path, String text) throws LustreParseException {
        String name = "";
        String target = "";
        String state = null;
        List<String> failover = List.of();
        String current = "";
        boolean inConnection = false;
        boolean header = false;
        int lineNo = 0;
        int n = text.length();
        int pos = 0;
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int next = end + (end + 1 < n && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n' ? 2 : 1);
            lineNo++;
            int first = skipSpace(text, pos, end);
            if (first == end) { // blank
                pos = next;
                continue;
            }
            if (!header) {
                if (!text.startsWith("import:", first) || skipSpace(text, first + 7, end) != end) {
                    throw LustreParseException.atLine(path, lineNo, text.substring(pos, end), "want \"import:\" first");
                }
                header = true;
                pos = next;
                continue;
            }
            int colon = text.indexOf(':', pos);
            if (colon < 0 || colon >= end) {
                throw LustreParseException.atLine(path, lineNo, text.substring(pos, end), "want \"key: value\"");
            }
            int indent = 0;
            while (pos + indent < end && text.charAt(pos + indent) == ' ') {
                indent++;
            }
            int keyEnd = trimEnd(text, first, colon);
            int valueStart = skipSpace(text, colon + 1, end);
            int valueEnd = trimEnd(text, valueStart, end);
            if (indent <= 4) {
                inConnection = valueStart == valueEnd && isKey(text, first, keyEnd, "connection");
                if (isKey(text, first, keyEnd, "name")) {
                    name = text.substring(valueStart, valueEnd);
                } else if (isKey(text, first, keyEnd, "target")) {
                    target = text.substring(valueStart, valueEnd);
                } else if (isKey(text, first, keyEnd, "state")) {
                    String value = text.substring(valueStart, valueEnd);
                    if (!isStateName(value)) {
                        throw LustreParseException.atLine(path, lineNo, text.substring(pos, end), "not an import state");
                    }
                    state = value;
                }
            } else if (inConnection) {
                if (isKey(text, first, keyEnd, "failover_nids")) {
                    failover = nidList(path, lineNo, text.substring(pos, end), text.substring(valueStart, valueEnd));
                } else if (isKey(text, first, keyEnd, "current_connection")) {
                    current = unquote(text.substring(valueStart, valueEnd));
                    if (current.equals("<none>")) {
                        current = "";
                    }
                }
            }
            pos = next;
        }
        if (!header) {
            throw new LustreParseException(path, 0, "empty file");
        }
        if (state == null) {
            throw new LustreParseException(path, 0, "no \"state:\" line");
        }
        return new Import(name, target, state, failover, current);
    }

    /** The first index in [from, to) that is not whitespace (as String.strip sees it), else to. */
    private static int skipSpace(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** The end of [from, to) without trailing whitespace. */
    private static int trimEnd(String s, int from, int to) {
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isKey(String s, int from, int to, String key) {
        return to - from == key.length() && s.startsWith(key, from);
    }

    private static List<String> nidList(String path, int lineNo, String line, String value) throws LustreParseException {
        if (!value.startsWith("[") || !value.endsWith("]")) {
            throw LustreParseException.atLine(path, lineNo, line, "want \"[ nid, nid ]\"");
        }
        List<String> out = new ArrayList<>();
        for (String part : value.substring(1, value.length() - 1).split(",")) {
            String nid = unquote(part.strip());
            if (!nid.isEmpty()) {
                out.add(nid);
            }
        }
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
