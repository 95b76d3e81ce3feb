package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
 * Kept: name, target, state, failover NIDs and the current NID ({@code <none>} gives ""); the
 * collector uses the state. Stateless; any thread.
 */
final class ImportParser {
    record Import(String name, String target, String state, List<String> failoverNids, String currentNid) {
        Import {
            failoverNids = List.copyOf(failoverNids);
        }
    }

    private ImportParser() {
    }

    private static final Pattern STATE_NAME = Pattern.compile("[A-Z][A-Z_]*|<UNKNOWN>");

    /** True for the names ptlrpc gives import states: FULL, DISCONN, REPLAY_LOCKS, {@code <UNKNOWN>}... */
    static boolean isStateName(String s) {
        return STATE_NAME.matcher(s).matches();
    }

    /** The import; a section's keys are indented deeper than 4 spaces. */
    static Import parse(String path, String text) throws LustreParseException {
        String name = "";
        String target = "";
        String state = null;
        List<String> failover = List.of();
        String current = "";
        boolean inConnection = false;
        boolean header = false;
        int lineNo = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNo++;
            String stripped = line.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (!header) {
                if (!stripped.equals("import:")) {
                    throw LustreParseException.atLine(path, lineNo, line, "want \"import:\" first");
                }
                header = true;
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw LustreParseException.atLine(path, lineNo, line, "want \"key: value\"");
            }
            int indent = line.length() - line.stripLeading().length();
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (indent <= 4) {
                inConnection = value.isEmpty() && key.equals("connection");
                switch (key) {
                    case "name" -> name = value;
                    case "target" -> target = value;
                    case "state" -> {
                        if (!isStateName(value)) {
                            throw LustreParseException.atLine(path, lineNo, line, "not an import state");
                        }
                        state = value;
                    }
                    default -> { }
                }
            } else if (inConnection && key.equals("failover_nids")) {
                failover = nidList(path, lineNo, line, value);
            } else if (inConnection && key.equals("current_connection")) {
                current = unquote(value);
                if (current.equals("<none>")) {
                    current = "";
                }
            }
        }
        if (!header) {
            throw new LustreParseException(path, 0, "empty file");
        }
        if (state == null) {
            throw new LustreParseException(path, 0, "no \"state:\" line");
        }
        return new Import(name, target, state, failover, current);
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
