package org.lustre.collector.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.lustre.collector.lustre.NodeState;

/**
 * The answer of getTargetStates (its format: the method's help in {@link CollectorApi}): every
 * target of one file system as one letter, in index order, so that the web page's target map can
 * draw 100,000 targets from ~100 KB instead of 100,000 getNodeInfo structs. Only a target not
 * named {@code <fs>-<kind><index as %04x>}, as Lustre names it, is listed in {@code names}, under
 * its kind and decimal index ({@code OST10}). The letters are part of the API: see
 * {@link #code(NodeState)}. The version lets an unchanged answer shrink to ~100 bytes (not ~1,700
 * for 1,000 OSTs). Pure functions; any thread.
 */
final class TargetStates {
    /** Letters, most urgent first when several apply. */
    static final char INACTIVE = 'I';
    static final char UNHEALTHY = 'H';
    static final char DOWN = 'D';
    static final char FULL = 'F';
    static final char UNKNOWN = 'U';
    static final char RESPONDING = 'R';
    static final char NO_TARGET = '-';

    /** Used fraction past which an OST is full, as for the Warning trap. */
    private static final double FULL_RATIO = 0.95;
    /**
     * Most positions one kind's code string may span: Lustre's target indices stop at 0xFFFF, so a
     * wild index (up to 8 hex digits are accepted) must not turn into a string of millions.
     */
    static final int MAX_SPAN = 0x10000;
    private static final String[] KINDS = {"MDT", "OST"};

    private TargetStates() {
    }

    /**
     * One target's letter: I inactive (deactivated by the administrator), H unhealthy (a local
     * target whose health_check is not healthy), D not responding (lost connection), F full (an
     * OST past 95% used), U unknown (a remote target whose import state has not been read yet), R
     * responding.
     */
    static char code(NodeState n) {
        if (!n.active()) {
            return INACTIVE;
        }
        if (!n.responding()) {
            // A target served here does not respond when its node is unhealthy.
            return n.local() ? UNHEALTHY : DOWN;
        }
        if (n.kbytesTotal() > 0 && n.kbytesFree() >= 0
                && (double) (n.kbytesTotal() - n.kbytesFree()) / n.kbytesTotal() > FULL_RATIO) {
            return FULL;
        }
        if (n.state().isEmpty() && !n.local()) {
            return UNKNOWN;
        }
        return RESPONDING;
    }

    /** Whether {@code name} is the name Lustre gives the target, without building it (100,000 times a change). */
    static boolean isDerivedName(String name, String fs, String kind, int index) {
        int digits = Math.max(4, (35 - Integer.numberOfLeadingZeros(index)) / 4);
        int head = fs.length() + 1 + kind.length();
        if (name.length() != head + digits || !name.startsWith(fs) || name.charAt(fs.length()) != '-'
                || !name.startsWith(kind, fs.length() + 1)) {
            return false;
        }
        int v = index;
        for (int i = name.length() - 1; i >= head; i--, v >>>= 4) {
            if (name.charAt(i) != HEX[v & 0xf]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A checksum of the answer's content (CRC-32 of the kinds and names, in 31 bits, never 0): the
     * same states give the same version, also across a restart of the collector, so a client that
     * hands its version back can be answered "unchanged" without being told wrong.
     */
    static int version(List<Object> kinds, Map<String, Object> names) {
        CRC32 crc = new CRC32();
        for (Object k : kinds) {
            Map<?, ?> m = (Map<?, ?>) k;
            crc.update((m.get("kind") + ":" + m.get("first") + ":").getBytes(StandardCharsets.US_ASCII));
            crc.update(((String) m.get("codes")).getBytes(StandardCharsets.US_ASCII));
        }
        crc.update(names.toString().getBytes(StandardCharsets.UTF_8));
        int v = (int) (crc.getValue() & 0x7fffffff);
        return v == 0 ? 1 : v;
    }

    /** {@code full} (an {@link #answer}), or the short one when the client's {@code version} is its own. */
    static Map<String, Object> reply(Map<String, Object> full, int version) {
        Object current = full.get("version");
        if (version == 0 || !current.equals(version)) {
            return full;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", full.get("name"));
        m.put("version", current);
        m.put("unchanged", true);
        return m;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * The answer for file system {@code fs} whose targets are {@code nodes} (by name). A kind whose
     * indices span more than {@link #MAX_SPAN} keeps the lowest ones and counts the rest in
     * {@code omitted}.
     */
    static Map<String, Object> answer(String fs, Map<String, NodeState> nodes) {
        List<Object> kinds = new ArrayList<>(KINDS.length);
        Map<String, Object> names = new TreeMap<>();
        int omitted = 0;
        for (String kind : KINDS) {
            int first = Integer.MAX_VALUE;
            int last = -1;
            for (NodeState n : nodes.values()) {
                if (n.index() >= 0 && n.kind().equals(kind)) {
                    first = Math.min(first, n.index());
                    last = Math.max(last, n.index());
                }
            }
            if (last < 0) {
                continue;
            }
            int span = (int) Math.min(MAX_SPAN, (long) last - first + 1);
            char[] codes = new char[span];
            Arrays.fill(codes, NO_TARGET);
            for (NodeState n : nodes.values()) {
                if (n.index() < 0 || !n.kind().equals(kind)) {
                    continue;
                }
                long at = (long) n.index() - first;
                if (at >= span) {
                    omitted++;
                    continue;
                }
                codes[(int) at] = code(n);
                if (!isDerivedName(n.name(), fs, kind, n.index())) {
                    names.put(kind + n.index(), n.name());
                }
            }
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("kind", kind);
            k.put("first", first);
            k.put("codes", new String(codes));
            kinds.add(k);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", fs);
        m.put("version", version(kinds, names));
        m.put("kinds", kinds.toArray());
        m.put("names", names);
        m.put("omitted", omitted);
        return m;
    }
}
