package org.lustre.collector.source;

import java.util.List;
import java.util.regex.Matcher;

import org.lustre.collector.source.KmsgRuleTable.NodeFrom;
import org.lustre.collector.source.KmsgRuleTable.Rule;
import org.lustre.collector.trap.Category;

/**
 * Turns kernel console messages from Lustre, LNet and ldiskfs into traps through one table of
 * rules, {@link KmsgRuleTable} (docs/design.md, "The data path").
 *
 * <p>Only messages that start with {@code Lustre:}, {@code LustreError:}, {@code LNet:},
 * {@code LNetError:} or {@code LDISKFS-fs} are looked at; all others (other drivers, "Kernel
 * panic - not syncing: LBUG", which repeats the LBUG line before it) are ignored, not errors.
 * Before matching, the {@code pid:ext:(file.c:line:function())} location and the {@code NN-N:}
 * console code (gone in 2.16, LU-17844) are cut from the text, so one pattern serves 2.1 to 2.17.
 * Rules are tried in order on the rest (the body); the first that applies to the message's prefix
 * and whose pattern is found decides.
 *
 * <p><b>Bounded, linear work.</b> A console file takes any user's {@code logger -t kernel} line,
 * so a line is hostile input. Only the first {@value #MAX_CHARS} characters of a message are
 * looked at (real Lustre messages are far shorter: the longest of the 190 real lines in the
 * test corpus has 398 characters), and a message cut there ends in {@code " [...]"}. Every pattern in the table and here starts with a literal or an anchor and
 * has only bounded quantifiers after it, so no pattern backtracks over the line: the cost of a
 * classification grows linearly with the (bounded) length. {@code KmsgRulesLinearTest} counts
 * the characters the matchers read to prove it.
 *
 * <p>Node: a rule's {@code peer} group when it names a target ({@code fs-OSTxxxx},
 * {@code fs-MDTxxxx}) or the MGS; else the first target name in the text (a device prefix such
 * as {@code lustrefs-OST0003-osc-MDT0000} or {@code lustrefs-OST0003_UUID} gives
 * {@code lustrefs-OST0003}); else "MGS" when the message comes from the MGS ({@code MGS:},
 * {@code MGS-osd:}) or from its client, the MGC ({@code MGC10.1.2.3@o2ib:}: a config log or MGS
 * connection problem is the MGS's); else the first NID. Rules marked {@link NodeFrom#NID} are
 * about a client, peer or router and take the NID first (the {@code nid} group, else the first
 * NID in the text). NIDs are IPv4 ({@code 10.1.2.3@o2ib1}), IPv6
 * ({@code fd00:172:16:11::5@tcp}) or {@code 0@lo}; a {@code 12345-} process id before one is
 * not part of it. fs: the prefix of the node's target name, else of the first target name in the
 * text, else the file system of a {@code log fsname-client} config log, else "".
 * Message: the body, plus {@code [file.c:line:function()]} when the line had a location, so an
 * LBUG says where; ldiskfs messages keep their {@code LDISKFS-fs} prefix (the device follows it).
 *
 * <p>Stateless; any thread may call it.
 */
final class KmsgRules {

    /** Characters of a message looked at; the rest is not matched and not kept. */
    static final int MAX_CHARS = 4096;

    /** What a console message is. */
    enum Action {
        /** Raise a trap. */
        TRAP,
        /** "Skipped N previous similar messages": add N to the last trap from the kernel log. */
        REPEAT,
        /** Not a trap (not Lustre, or Lustre chatter). */
        IGNORE
    }

    /**
     * The verdict on one message.
     *
     * @param action   trap, repeat or ignore
     * @param kind     the rule's name (event kind), "not-lustre" for foreign lines
     * @param category for TRAP, else null
     * @param fs       file system or ""
     * @param node     target name, "MGS", a NID, or ""
     * @param message  trap text (body and location)
     * @param count    for REPEAT: N; else 0
     */
    record Match(Action action, String kind, Category category, String fs, String node, String message, int count) {
    }

    private static final Match NOT_LUSTRE = new Match(Action.IGNORE, "not-lustre", null, "", "", "", 0);

    private KmsgRules() {
    }

    /** Classifies one console message (the text after any timestamp or record header). Never throws. */
    static Match classify(String text) {
        return classify((CharSequence) text);
    }

    /**
     * As {@link #classify(String)}; reads the text only through {@link CharSequence#charAt} and
     * {@link CharSequence#subSequence}, so a test can count what it reads.
     */
    static Match classify(CharSequence text) {
        boolean cut = text.length() > MAX_CHARS;
        CharSequence line = cut ? text.subSequence(0, MAX_CHARS) : text;
        Matcher p = KmsgPatterns.PREFIX.matcher(line);
        if (!p.lookingAt()) {
            return NOT_LUSTRE;
        }
        String prefix = p.group(1) != null ? p.group(1) : p.group(2);
        boolean ldiskfs = prefix.equals(KmsgRuleTable.LDISKFS);
        CharSequence body = line.subSequence(p.end(), line.length());
        String location = null;
        Matcher l = KmsgPatterns.LOCATION.matcher(body);
        if (l.lookingAt()) {
            location = l.group(1);
            body = body.subSequence(l.end(), body.length());
        }
        Matcher c = KmsgPatterns.CODE.matcher(body);
        if (c.lookingAt()) {
            body = body.subSequence(c.end(), body.length());
        }
        for (Rule r : KmsgRuleTable.RULES) {
            if (!r.appliesTo(prefix)) {
                continue;
            }
            Matcher m = r.pattern().matcher(body);
            if (!m.find()) {
                continue;
            }
            switch (r.action()) {
                case IGNORE:
                    return new Match(Action.IGNORE, r.kind(), null, "", "", body.toString(), 0);
                case REPEAT:
                    return new Match(Action.REPEAT, r.kind(), null, "", "", body.toString(), count(m.group(1)));
                default:
                    String node = node(r, m, body);
                    return new Match(Action.TRAP, r.kind(), r.category(), fs(node, body), node,
                            message(ldiskfs ? prefix + " " + body : body.toString(), location, cut), 0);
            }
        }
        return new Match(Action.IGNORE, "unmatched", null, "", "", body.toString(), 0); // the table's last rules take all
    }

    private static int count(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // more than an int holds: as many as we can count
        }
    }

    private static String message(String body, String location, boolean cut) {
        String text = body.strip() + (cut ? " [...]" : "");
        return location == null ? text : text + " [" + location + "]";
    }

    private static String node(Rule r, Matcher m, CharSequence body) {
        if (r.nodeFrom() == NodeFrom.NID) {
            String nid = group(m, "nid");
            if (nid != null) {
                String n = KmsgPatterns.firstNid(nid);
                if (n != null) {
                    return n;
                }
            }
            String any = KmsgPatterns.firstNid(body);
            if (any != null) {
                return any;
            }
            String target = KmsgPatterns.firstTarget(body);
            return target == null ? "" : target;
        }
        String peer = group(m, "peer");
        if (peer != null) {
            String t = KmsgPatterns.firstTarget(peer);
            if (t != null) {
                return t;
            }
            if (peer.equals("MGS")) {
                return "MGS";
            }
        }
        String t = KmsgPatterns.firstTarget(body);
        if (t != null) {
            return t;
        }
        if (KmsgPatterns.MGS_DEVICE.matcher(body).lookingAt()) {
            return "MGS";
        }
        String nid = KmsgPatterns.firstNid(body);
        return nid == null ? "" : nid;
    }

    private static String fs(String node, CharSequence body) {
        String fs = KmsgPatterns.fsOfTarget(node);
        if (fs != null) {
            return fs;
        }
        fs = KmsgPatterns.fsOfTarget(KmsgPatterns.firstTarget(body));
        if (fs != null) {
            return fs;
        }
        Matcher log = KmsgPatterns.CLIENT_LOG.matcher(body);
        return log.find() ? log.group(1) : "";
    }

    private static String group(Matcher m, String name) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null; // this rule's pattern has no such group
        }
    }

    /** The table as text (kind, prefixes, action/category, pattern, reason), for docs and tests. */
    static List<String> describe() {
        return KmsgRuleTable.RULES.stream()
                .map(r -> r.kind() + "\t" + String.join(",", r.prefixes().stream().sorted().toList()) + "\t"
                        + (r.category() == null ? r.action() : r.category().label()) + "\t" + r.pattern().pattern()
                        + "\t" + r.reason())
                .toList();
    }
}
