package org.lustre.collector.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The patterns that cut a console message into prefix, location, code and body, and that find
 * target names and NIDs in it, for {@link KmsgRules}. Each starts with a literal, an anchor or a
 * bounded class and has only bounded quantifiers, so a search over a line costs at most a
 * constant per character (see the class comment of KmsgRules). Stateless; any thread.
 */
final class KmsgPatterns {

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

    private KmsgPatterns() {
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
