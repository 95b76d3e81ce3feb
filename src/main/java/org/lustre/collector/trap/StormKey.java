package org.lustre.collector.trap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes traps "alike" for storm coalescing: same file system, same category and the same
 * message once the node name and the NIDs' addresses are masked. The LNet network of a NID is
 * kept ({@code 10.1.2.3@o2ib1} becomes {@code *@o2ib1}): disconnects through two different
 * networks are two different stories. Immutable; any thread.
 * <p>
 * Only the first {@link #PREFIX_CHARS} characters of a message make its key: the coalescer keeps
 * the keys of the last 4,096 kinds of trap it saw, and a key holding the whole message would keep
 * megabytes for a few thousand long lines. Messages alike in that prefix are alike.
 *
 * @param fs       file system, "" when unknown
 * @param category severity
 * @param pattern  the masked message; "" for a per fs+category catch-all aggregate
 * @param network  the LNet network of the message's first NID, or null; not part of the key
 *                 (members of one key nearly always share it, since the pattern keeps each NID's
 *                 network; it is kept per member so the storm's "router or network suspect"
 *                 tally stays exact)
 */
record StormKey(String fs, Category category, String pattern, String network) implements Comparable<StormKey> {

    /** How much of a message makes its key; Lustre's messages are shorter (about 200 characters). */
    static final int PREFIX_CHARS = 512;
    /**
     * Most characters a key retains: fs name ({@link TrapEvent#MAX_NAME_BYTES} bytes, so as many
     * characters at most), the masked prefix and its network (a part of the prefix).
     */
    static final int MAX_RETAINED_CHARS = TrapEvent.MAX_NAME_BYTES + 2 * PREFIX_CHARS;

    /**
     * A NID: an IPv4 address, or an IPv6 one (Lustre 2.16+ large NIDs, {@code fd00:172:16:11::5@tcp}:
     * a whole run of hex digits and ':' holding two ':' at least), then '@' and the network.
     */
    private static final Pattern NID = Pattern.compile("(?:\\d+\\.\\d+\\.\\d+\\.\\d+"
            + "|(?<![0-9A-Fa-f:])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]+)@(\\w+)");
    /** A target name: what its mask keeps is group 1. */
    private static final Pattern TARGET = Pattern.compile("(.*-(?:OST|MDT))[0-9a-fA-F]+");

    /** Equality and hash leave the network out: see the record's comment. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StormKey k && category == k.category && fs.equals(k.fs) && pattern.equals(k.pattern);
    }

    @Override
    public int hashCode() {
        return (31 * fs.hashCode() + category.ordinal()) * 31 + pattern.hashCode();
    }

    /**
     * An order consistent with equals, so that HashMap keeps keys whose hashes collide (a message
     * can be crafted to) in a searchable tree rather than a list.
     */
    @Override
    public int compareTo(StormKey o) {
        int c = category.compareTo(o.category);
        if (c == 0) {
            c = fs.compareTo(o.fs);
        }
        return c != 0 ? c : pattern.compareTo(o.pattern);
    }

    /** The key of an event; also notes the network of its first NID. */
    static StormKey of(TrapEvent e) {
        String message = prefix(e.message());
        return new StormKey(e.fs(), e.category(), mask(message, e.node()), network(message));
    }

    /** The first {@link #PREFIX_CHARS} characters (a copy, so the key never holds the whole message). */
    static String prefix(String message) {
        if (message.length() <= PREFIX_CHARS) {
            return message;
        }
        int end = PREFIX_CHARS;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--; // do not split a pair
        }
        return message.substring(0, end);
    }

    /** The key for the catch-all aggregate of a fs and category (when too many storms run at once). */
    static StormKey catchAll(String fs, Category category) {
        return new StormKey(fs, category, "", null);
    }

    boolean isCatchAll() {
        return pattern.isEmpty();
    }

    /** Characters this key keeps alive: fs, pattern and network. */
    int retainedChars() {
        return fs.length() + pattern.length() + (network == null ? 0 : network.length());
    }

    /**
     * The message with NIDs masked first (so a node given as a NID disappears with them), then
     * every whole-word occurrence of the node name replaced by {@link #maskedNode(String)}.
     */
    static String mask(String message, String node) {
        String text = NID.matcher(message).replaceAll("*@$1");
        if (node.isEmpty()) {
            return text;
        }
        String masked = maskedNode(node);
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        for (int i = text.indexOf(node); i >= 0; i = text.indexOf(node, i + 1)) {
            int end = i + node.length();
            // whole words only: lustrefs-OST0001 must not eat the front of lustrefs-OST00010
            boolean startOk = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
            boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (i >= from && startOk && endOk) {
                sb.append(text, from, i).append(masked);
                from = end;
            }
        }
        return sb.append(text, from, text.length()).toString();
    }

    /** {@code lustrefs-OST0004} -> {@code lustrefs-OST*}; any other name -> {@code *}. */
    static String maskedNode(String node) {
        Matcher m = TARGET.matcher(node);
        return m.matches() ? m.group(1) + "*" : "*";
    }

    /** The LNet network of the first NID in the message (o2ib1, tcp), or null when it names none. */
    static String network(String message) {
        Matcher m = NID.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public String toString() {
        return "StormKey[fs=" + fs + ", category=" + category + ", pattern=" + pattern + "]";
    }
}
