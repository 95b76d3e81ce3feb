package org.lustre.collector.forward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.Trap;

/**
 * Turns traps into Alertmanager alerts and remembers the state alerts still open, so that the
 * trap that clears one resolves it.
 *
 * <h2>Labels</h2>
 * The README's table, all from the trap's content, so the two collectors of an MDS pair send the
 * same label set for the same event and Alertmanager keeps one alert. A storm aggregate is one
 * trap, hence one alert; its count and first nodes are annotations (they may differ between the
 * two collectors).
 *
 * <h2>Resolving</h2>
 * State traps come from the scan with ids {@code scan:<node>:<state>:<epoch>} (see
 * lustre.StateChanges): a target not responding (Critical), health_check bad ({@code HEALTH_*},
 * Fatal), an OST past 95% ({@code FULL95}, Warning). Each opens a condition of its node (kind
 * responding, health or space); the Info trap that reports the opposite ("responding again",
 * {@code HEALTH_healthy}, {@code BELOW95}) resolves the alert of that condition with endsAt = its
 * event time. Open alerts are sent again every {@value #RESEND_MILLIS} ms, or Alertmanager would
 * resolve them after its resolve_timeout (5 min by default) while the target is still down. Other
 * traps are events: sent once with no endsAt, Alertmanager resolves them after resolve_timeout.
 * At most {@value #MAX_OPEN} conditions are remembered (the oldest forgotten: it then expires in
 * Alertmanager), so a garbage stream cannot grow memory.
 * <p>One thread only (the trap feed).
 */
final class TrapAlerts {
    static final String ALERTNAME = "LustreTrap";
    static final long RESEND_MILLIS = 60_000;
    static final int MAX_OPEN = 10_000;

    private enum Condition { RESPONDING, HEALTH, SPACE }

    private final Category minimum;
    private final Map<String, Alert> open = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Alert> eldest) {
            return size() > MAX_OPEN;
        }
    };
    private long lastResend;

    TrapAlerts(Category minimum) {
        this.minimum = minimum;
    }

    /** The alerts to send for one trap: none, one, or a resolution and a new alert. */
    List<Alert> onTrap(Trap t) {
        List<Alert> out = new ArrayList<>(2);
        StateId state = StateId.of(t);
        if (state != null && t.category() == Category.INFO) {
            Alert was = open.remove(state.key());
            if (was != null) {
                out.add(was.resolvedAt(t.eventTime() * 1000));
            }
            return out;
        }
        if (t.category().compareTo(minimum) < 0) {
            return out;
        }
        Alert a = alert(t);
        if (state != null) {
            Alert was = open.put(state.key(), a);
            if (was != null && !was.labels().equals(a.labels())) {
                out.add(was.resolvedAt(t.eventTime() * 1000)); // its clearing trap never came
            }
        }
        out.add(a);
        return out;
    }

    /** The open state alerts when it is time to send them again, else none. */
    List<Alert> due(long nowMillis) {
        if (open.isEmpty() || nowMillis - lastResend < RESEND_MILLIS && nowMillis >= lastResend) {
            return List.of();
        }
        lastResend = nowMillis;
        return new ArrayList<>(open.values());
    }

    static Alert alert(Trap t) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERTNAME);
        labels.put("fs", t.fs());
        labels.put("node", t.node());
        labels.put("category", t.category().label());
        labels.put("severity", t.category().label().toLowerCase(Locale.ROOT));
        labels.put("id", t.id());
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("summary", t.message());
        notes.put("count", Integer.toString(t.count()));
        notes.put("source", t.source());
        if (!t.nodes().isEmpty()) {
            notes.put("nodes", String.join(",", t.nodes()));
        }
        return new Alert(labels, notes, t.eventTime() * 1000, 0);
    }

    /** The condition a scan trap raises or clears, from its content id; null for any other trap. */
    record StateId(String node, Condition condition) {
        String key() {
            return condition + ":" + node;
        }

        static StateId of(Trap t) {
            if (!"scan".equals(t.source()) || !t.id().startsWith("scan:")) {
                return null;
            }
            int last = t.id().lastIndexOf(':');
            int before = last <= 5 ? -1 : t.id().lastIndexOf(':', last - 1);
            if (before < 5) {
                return null;
            }
            String node = t.id().substring(5, before);
            String state = t.id().substring(before + 1, last);
            Condition c = state.startsWith("HEALTH_") ? Condition.HEALTH
                    : state.equals("FULL95") || state.equals("BELOW95") ? Condition.SPACE : Condition.RESPONDING;
            return new StateId(node, c);
        }
    }
}
