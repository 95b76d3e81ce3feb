package org.lustre.collector.trap;

/**
 * What makes traps "alike" for storm coalescing: same file system, same category and the same
 * message once the node name and the NIDs' addresses are masked. The LNet network of a NID is
 * kept ({@code 10.1.2.3@o2ib1} becomes {@code *@o2ib1}): disconnects through two different
 * networks are two different stories. Immutable; any thread.
 * <p>
 * A key is made for every trap the store receives, so the masking is done by hand in one pass
 * rather than with regexes, and the hash is computed once (a map probes it several times).
 * The rules are the regexes' exactly: a NID is {@code \d+\.\d+\.\d+\.\d+@(\w+)} (ASCII digits and
 * word characters), a target name is {@code (.*-(?:OST|MDT))[0-9a-fA-F]+}; StormKeyTest checks the
 * hand-written scan against those regexes on many generated messages.
 */
final class StormKey {

    private final String fs;
    private final Category category;
    private final String pattern;
    private final int hash;

    /**
     * @param fs       file system, "" when unknown
     * @param category severity
     * @param pattern  the masked message; "" for a per fs+category catch-all aggregate
     */
    StormKey(String fs, Category category, String pattern) {
        this.fs = fs;
        this.category = category;
        this.pattern = pattern;
        // ordinal, not category.hashCode(): an enum's hash is its identity hash, slower and unstable
        this.hash = (31 * fs.hashCode() + category.ordinal()) * 31 + pattern.hashCode();
    }

    static StormKey of(TrapEvent e) {
        return new StormKey(e.fs(), e.category(), mask(e.message(), e.node()));
    }

    /** The key for the catch-all aggregate of a fs and category (when too many storms run at once). */
    static StormKey catchAll(String fs, Category category) {
        return new StormKey(fs, category, "");
    }

    String fs() {
        return fs;
    }

    Category category() {
        return category;
    }

    String pattern() {
        return pattern;
    }

    boolean isCatchAll() {
        return pattern.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof StormKey k && hash == k.hash && category == k.category && fs.equals(k.fs)
                && pattern.equals(k.pattern);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "StormKey[fs=" + fs + ", category=" + category + ", pattern=" + pattern + "]";
    }

    /**
     * The message with NIDs masked first (so a node given as a NID disappears with them), then
     * every whole-word occurrence of the node name replaced by {@link #maskedNode(String)}.
     */
    static String mask(String message, String node) {
        String text = maskNids(message);
        if (node.isEmpty()) {
            return text;
        }
        int i = text.indexOf(node);
        if (i < 0) {
            return text;
        }
        String masked = null;
        StringBuilder sb = null;
        int from = 0;
        for (; i >= 0; i = text.indexOf(node, i + 1)) {
            int end = i + node.length();
            // whole words only: lustrefs-OST0001 must not eat the front of lustrefs-OST00010
            boolean startOk = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
            boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (i >= from && startOk && endOk) {
                if (sb == null) {
                    sb = new StringBuilder(text.length());
                    masked = maskedNode(node);
                }
                sb.append(text, from, i).append(masked);
                from = end;
            }
        }
        if (sb == null) {
            return text;
        }
        sb.append(text, from, text.length());
        return sb.toString();
    }

    /** Every NID {@code a.b.c.d@net} replaced by {@code *@net}; the message itself when it has none. */
    static String maskNids(String message) {
        StringBuilder sb = null;
        int copied = 0;
        for (int i = nextNid(message, 0); i >= 0; ) {
            int at = nidAt(message, i);
            int end = wordEnd(message, at + 1);
            if (sb == null) {
                sb = new StringBuilder(message.length());
            }
            sb.append(message, copied, i).append("*@").append(message, at + 1, end);
            copied = end;
            i = nextNid(message, end);
        }
        if (sb == null) {
            return message;
        }
        sb.append(message, copied, message.length());
        return sb.toString();
    }

    /**
     * Where the next NID at or after {@code from} starts, -1 when none: the one scan that
     * {@link #maskNids} and {@link #network} share, in place of the regex {@code \d+(\.\d+){3}@\w+}.
     */
    private static int nextNid(String message, int from) {
        if (message.indexOf('@', from) < 0) {
            return -1;
        }
        int n = message.length();
        int i = from;
        while (i < n) {
            if (!isDigit(message.charAt(i))) {
                i++;
                continue;
            }
            if (nidAt(message, i) >= 0) {
                return i;
            }
            // no NID starts in this digit run (a start inside it would fail the same way)
            i = skipDigits(message, i);
        }
        return -1;
    }

    /** {@code lustrefs-OST0004} -> {@code lustrefs-OST*}; any other name -> {@code *}. */
    static String maskedNode(String node) {
        // The hex index holds no '-', so the "-OST"/"-MDT" before it starts at the last '-'.
        int dash = node.lastIndexOf('-');
        if (dash < 0 || !(node.startsWith("OST", dash + 1) || node.startsWith("MDT", dash + 1))) {
            return "*";
        }
        int index = dash + 4;
        if (index == node.length()) {
            return "*";
        }
        for (int i = index; i < node.length(); i++) {
            if (!isHexDigit(node.charAt(i))) {
                return "*";
            }
        }
        for (int i = 0; i < dash; i++) {
            if (isLineTerminator(node.charAt(i))) {
                return "*"; // the regex's '.' does not match these
            }
        }
        return node.substring(0, index) + "*";
    }

    /** The LNet network of the first NID in the message (o2ib1, tcp), or null when it names none. */
    static String network(String message) {
        int i = nextNid(message, 0);
        if (i < 0) {
            return null;
        }
        int at = nidAt(message, i);
        return message.substring(at + 1, wordEnd(message, at + 1));
    }

    /**
     * When a NID starts at {@code start} (a digit): the index of its '@', which is followed by at
     * least one word character; else -1.
     */
    private static int nidAt(String s, int start) {
        int i = start;
        for (int part = 0; part < 4; part++) {
            int end = skipDigits(s, i);
            if (end == i) {
                return -1;
            }
            char sep = part < 3 ? '.' : '@';
            if (end == s.length() || s.charAt(end) != sep) {
                return -1;
            }
            i = end + 1;
        }
        return i < s.length() && isWordChar(s.charAt(i)) ? i - 1 : -1;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int wordEnd(String s, int i) {
        while (i < s.length() && isWordChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isLineTerminator(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
