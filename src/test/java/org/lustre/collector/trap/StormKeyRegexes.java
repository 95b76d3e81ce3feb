package org.lustre.collector.trap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regex implementation StormKey had before its masking was written by hand: the reference
 * StormKeyTest checks the hand-written scan against, and the plain key the bench
 * (bench/java, StormKeyTrick) measures StormKey against.
 */
final class StormKeyRegexes {
    /** A NID: an IPv4 or IPv6 address, '@', and its network (group 1). */
    private static final Pattern NID = Pattern.compile("(?:\\d+\\.\\d+\\.\\d+\\.\\d+"
            + "|(?<![0-9A-Fa-f:])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]+)@(\\w+)");
    /** A target name: what its mask keeps is group 1. */
    private static final Pattern TARGET = Pattern.compile("(.*-(?:OST|MDT))[0-9a-fA-F]+");

    private StormKeyRegexes() {
    }

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

    static String maskedNode(String node) {
        Matcher m = TARGET.matcher(node);
        return m.matches() ? m.group(1) + "*" : "*";
    }

    static String network(String message) {
        Matcher m = NID.matcher(message);
        return m.find() ? m.group(1) : null;
    }
}
