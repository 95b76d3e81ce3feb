package org.lustre.collector.trap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes traps "alike" for storm coalescing: same file system, same category and the same
 * message once the node name and the NIDs' addresses are masked. The LNet network of a NID is
 * kept ({@code 10.1.2.3@o2ib1} becomes {@code *@o2ib1}): disconnects through two different
 * networks are two different stories. Immutable; any thread.
 *
 * @param fs       file system, "" when unknown
 * @param category severity
 * @param pattern  the masked message; "" for a per fs+category catch-all aggregate
 */
record StormKey(String fs, Category category, String pattern) {

    /** An IPv4 NID; group 1 is the LNet network (tcp, o2ib1, ...). */
    private static final Pattern NID = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+@(\\w+)");
    /** A target name: the fs and kind stay, the index goes (lustrefs-OST0a3f -> lustrefs-OST*). */
    private static final Pattern TARGET = Pattern.compile("(.*-(?:OST|MDT))[0-9a-fA-F]+");

    static StormKey of(TrapEvent e) {
        return new StormKey(e.fs(), e.category(), mask(e.message(), e.node()));
    }

    /** The key for the catch-all aggregate of a fs and category (when too many storms run at once). */
    static StormKey catchAll(String fs, Category category) {
        return new StormKey(fs, category, "");
    }

    boolean isCatchAll() {
        return pattern.isEmpty();
    }

    /**
     * The message with NIDs masked first (so a node given as a NID disappears with them), then
     * every whole-word occurrence of the node name replaced by {@link #maskedNode(String)}.
     */
    static String mask(String message, String node) {
        Matcher m = NID.matcher(message);
        StringBuilder sb = new StringBuilder(message.length());
        while (m.find()) {
            m.appendReplacement(sb, "*@$1");
        }
        m.appendTail(sb);
        if (node.isEmpty()) {
            return sb.toString();
        }
        String text = sb.toString();
        String masked = maskedNode(node);
        sb.setLength(0);
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
        sb.append(text, from, text.length());
        return sb.toString();
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
}
