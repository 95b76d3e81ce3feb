package org.lustre.collector.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * looked at (the longest of the 190 real lines in the test corpus has 398), and a message cut
 * there ends in {@code " [...]"}. Every pattern in the table and here starts with a literal or an
 * anchor and has only bounded quantifiers after it, so no pattern backtracks over the line.
 * {@code KmsgRulesLinearTest} counts the characters the matchers read to prove it.
 *
 * <p>Node: a rule's {@code peer} group when it names a target or the MGS; else the first target
 * name in the text ({@code lustrefs-OST0003-osc-MDT0000} gives {@code lustrefs-OST0003}); else
 * "MGS" when the message comes from the MGS or from its client, the MGC (a config log or MGS
 * connection problem is the MGS's); else the first NID. Rules marked {@link NodeFrom#NID} are
 * about a client, peer or router and take the NID first. fs: that of the node's target name,
 * else of the first target name in the text, else of a {@code log fsname-client} config log.
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

    /** {@code LustreError: } (the space is missing in some real lines), or {@code LDISKFS-fs } (ldiskfs, Lustre's ext4). */
    static final Pattern PREFIX = Pattern.compile("(?:(LustreError|Lustre|LNetError|LNet): ?|(LDISKFS-fs) )");
    /**
     * {@code 1246375:0:(dcache.c:136:ll_ddelete()) }; pid and ext are missing in some pasted lines,
     * the line number in a few, and "LBUG" can follow without a space.
     */
    static final Pattern LOCATION = Pattern.compile("(?:\\d{1,10}:\\d{1,10}:)?\\(([^\\s()]{1,200}\\(\\))\\) ?");
    /** {@code 11-0: }, {@code 15c-8: } (errnum and checksum in hex; gone from 2.16 on, LU-17844). */
    static final Pattern CODE = Pattern.compile("[0-9a-f]{1,4}-[0-9a-f]{1,2}: ");
    /** fsname-OSTxxxx / fsname-MDTxxxx; fsname is 1-8 of [A-Za-z0-9_-]. */
    static final Pattern TARGET = Pattern.compile(
            "(?<![A-Za-z0-9_.-])([A-Za-z0-9_][A-Za-z0-9_-]{0,7}?)-((?:OST|MDT)[0-9a-fA-F]{4})(?![0-9a-fA-F])");
    /**
     * An LNet NID: IPv4 ({@code 10.1.2.3@o2ib1}, also inside an MGC name, {@code MGC10.1.2.3@o2ib}),
     * IPv6 ({@code fd00:172:16:11::5@tcp}, 2.16+ large NIDs) or the loopback {@code 0@lo}. A
     * {@code 12345-} process id before it is not part of it.
     */
    static final Pattern NID = Pattern.compile("(?:(?<=MGC)|(?<![\\w.:]))("
            + "(?:\\d{1,3}\\.){3}\\d{1,3}@[a-z][a-z0-9]{0,15}"
            + "|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}@[a-z][a-z0-9]{0,15}"
            + "|0@lo)(?![\\w.])");
    /** A message from the MGS ({@code MGS: }, {@code MGS-osd: }) or from this node's MGC, the MGS's client. */
    static final Pattern MGS_DEVICE = Pattern.compile("MGS(?:-osd)?: |MGC\\S{1,80}?: ");
    /** The client config log of a file system, as in 15c-8 "Configuration from log fsname-client failed". */
    static final Pattern CLIENT_LOG = Pattern.compile("\\blog ([A-Za-z0-9_][A-Za-z0-9_-]{0,7}?)-client\\b");

    private static final Match NOT_LUSTRE = new Match(Action.IGNORE, "not-lustre", null, "", "", "", 0);

    private KmsgRules() {
    }

    /**
     * Classifies one console message (the text after any timestamp or record header). Never throws.
     * Reads the text only through {@link CharSequence#charAt} and {@link CharSequence#subSequence},
     * so a test can count what it reads.
     */
    static Match classify(CharSequence text) {
        boolean cut = text.length() > MAX_CHARS;
        CharSequence line = cut ? text.subSequence(0, MAX_CHARS) : text;
        Matcher p = PREFIX.matcher(line);
        if (!p.lookingAt()) {
            return NOT_LUSTRE;
        }
        String prefix = p.group(1) != null ? p.group(1) : p.group(2);
        boolean ldiskfs = prefix.equals(KmsgRuleTable.LDISKFS);
        CharSequence body = line.subSequence(p.end(), line.length());
        String location = null;
        Matcher l = LOCATION.matcher(body);
        if (l.lookingAt()) {
            location = l.group(1);
            body = body.subSequence(l.end(), body.length());
        }
        Matcher c = CODE.matcher(body);
        if (c.lookingAt()) {
            body = body.subSequence(c.end(), body.length());
        }
        for (Rule r : KmsgRuleTable.RULES) {
            if (!r.prefixes().contains(prefix)) {
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
                String n = firstNid(nid);
                if (n != null) {
                    return n;
                }
            }
            String any = firstNid(body);
            if (any != null) {
                return any;
            }
            String target = firstTarget(body);
            return target == null ? "" : target;
        }
        String peer = group(m, "peer");
        if (peer != null) {
            String t = firstTarget(peer);
            if (t != null) {
                return t;
            }
            if (peer.equals("MGS")) {
                return "MGS";
            }
        }
        String t = firstTarget(body);
        if (t != null) {
            return t;
        }
        if (MGS_DEVICE.matcher(body).lookingAt()) {
            return "MGS";
        }
        String nid = firstNid(body);
        return nid == null ? "" : nid;
    }

    private static String fs(String node, CharSequence body) {
        String fs = fsOfTarget(node);
        if (fs != null) {
            return fs;
        }
        fs = fsOfTarget(firstTarget(body));
        if (fs != null) {
            return fs;
        }
        Matcher log = CLIENT_LOG.matcher(body);
        return log.find() ? log.group(1) : "";
    }

    private static String group(Matcher m, String name) {
        try {
            return m.group(name);
        } catch (IllegalArgumentException e) {
            return null; // this rule's pattern has no such group
        }
    }

    /** The first target name ({@code fs-OSTxxxx}) in the text, or null. */
    static String firstTarget(CharSequence s) {
        Matcher t = TARGET.matcher(s);
        return t.find() ? t.group(1) + "-" + t.group(2) : null;
    }

    /** The first NID in the text, or null. */
    static String firstNid(CharSequence s) {
        Matcher n = NID.matcher(s);
        return n.find() ? n.group(1) : null;
    }

    /** The file system of a target name ({@code lustrefs} of {@code lustrefs-OST0003}); null for null or another name. */
    static String fsOfTarget(String node) {
        if (node == null) {
            return null;
        }
        Matcher t = TARGET.matcher(node);
        return t.matches() ? t.group(1) : null;
    }
}
