package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code osp/<fs>-OSTxxxx-osc-MDTxxxx/state}: {@code current_state: FULL}, then
 * {@code state_history:} and up to 16 lines {@code " - [ <epoch>, <STATE> ]"}, oldest first.
 * proc in 2.10, debugfs ({@code sys/kernel/debug/lustre/osp/}) from 2.12 on. Stateless; any thread.
 */
final class StateParser {
    private static final Pattern CURRENT = Pattern.compile("current_state:\\s*(\\S+)");
    private static final Pattern HISTORY = Pattern.compile("-\\s*\\[\\s*(\\d+)\\s*,\\s*(\\S+)\\s*\\]");

    record Transition(long epochSeconds, String state) {
    }

    record State(String current, List<Transition> history) {
        State {
            history = List.copyOf(history);
        }

        /**
         * When the import last entered its current state (epoch seconds): the start of the last
         * run of history entries that end in the current state; -1 when the history does not say.
         */
        long since() {
            long since = -1;
            for (int i = history.size() - 1; i >= 0; i--) {
                if (!history.get(i).state().equals(current)) {
                    break;
                }
                since = history.get(i).epochSeconds();
            }
            return since;
        }
    }

    private StateParser() {
    }

    static State parse(String path, String text) throws LustreParseException {
        String current = null;
        List<Transition> history = new ArrayList<>();
        for (TextLine t : TextLine.nonBlank(text)) {
            int lineNo = t.number();
            String line = t.raw();
            String l = t.text();
            if (l.equals("state_history:")) {
                continue;
            }
            Matcher m = CURRENT.matcher(l);
            if (m.matches()) {
                if (current != null) {
                    throw LustreParseException.atLine(path, lineNo, line, "second current_state");
                }
                current = checkState(path, lineNo, line, m.group(1));
                continue;
            }
            m = HISTORY.matcher(l);
            if (m.matches() && current != null) {
                long epoch;
                try {
                    epoch = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    throw LustreParseException.atLine(path, lineNo, line, "epoch out of range");
                }
                history.add(new Transition(epoch, checkState(path, lineNo, line, m.group(2))));
                continue;
            }
            throw LustreParseException.atLine(path, lineNo, line,
                    current == null ? "want \"current_state: <STATE>\" first" : "want \" - [ <epoch>, <STATE> ]\"");
        }
        if (current == null) {
            throw new LustreParseException(path, 0, "no current_state line");
        }
        return new State(current, history);
    }

    private static String checkState(String path, int lineNo, String line, String state) throws LustreParseException {
        if (!ImportParser.isStateName(state)) {
            throw LustreParseException.atLine(path, lineNo, line, "not an import state: " + state);
        }
        return state;
    }
}
