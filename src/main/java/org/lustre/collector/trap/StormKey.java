package org.lustre.collector.trap;

/**
 * What makes traps "alike" for storm coalescing: same file system, same category and the same
 * message once the node name and the NIDs' addresses are masked. The LNet network of a NID is
 * kept ({@code 10.1.2.3@o2ib1} becomes {@code *@o2ib1}): disconnects through two different
 * networks are two different stories. Immutable; any thread.
 * <p>
 * A key is made for every trap the store receives, so the masking is done by hand in one pass
 * rather than with regexes, and the hash is computed once (a map probes it several times): a
 * storm costs a ninth of the CPU (BENCHMARKS.md section 8). The rules are the regexes' exactly:
 * a NID is {@code \d+\.\d+\.\d+\.\d+@(\w+)} (ASCII digits and word characters), or an IPv6 address
 * before the '@' (see {@link #ipv6Start}); a target name is {@code (.*-(?:OST|MDT))[0-9a-fA-F]+}.
 * StormKeyTest checks the scan against those regexes on many generated messages.
 * <p>
 * Only the first {@link #PREFIX_CHARS} characters of a message make its key: the coalescer keeps
 * the keys of the last 4,096 kinds of trap it saw, and a key holding the whole message would keep
 * megabytes for a few thousand long lines.
 */
final class StormKey implements Comparable<StormKey> {

    /** How much of a message makes its key; Lustre's messages are shorter (about 200 characters). */
    static final int PREFIX_CHARS = 512;
    /**
     * Most characters a key retains: fs name ({@link TrapEvent#MAX_NAME_BYTES} bytes, so as many
     * characters at most), the masked prefix and its network (a part of the prefix).
     */
    static final int MAX_RETAINED_CHARS = TrapEvent.MAX_NAME_BYTES + 2 * PREFIX_CHARS;

    private final String fs;
    private final Category category;
    private final String pattern;
    private final int hash;
    /** The LNet network of the message's first NID, or null: not part of the key (see {@link #network()}). */
    private final String network;

    /**
     * @param fs       file system, "" when unknown
     * @param category severity
     * @param pattern  the masked message; "" for a per fs+category catch-all aggregate
     */
    StormKey(String fs, Category category, String pattern) {
        this(fs, category, pattern, null);
    }

    private StormKey(String fs, Category category, String pattern, String network) {
        this.fs = fs;
        this.category = category;
        this.pattern = pattern;
        this.network = network;
        // ordinal, not category.hashCode(): an enum's hash is its identity hash, slower and unstable
        this.hash = (31 * fs.hashCode() + category.ordinal()) * 31 + pattern.hashCode();
    }

    /** The key of an event; also notes the network of its first NID, found by the same scan. */
    static StormKey of(TrapEvent e) {
        String message = prefix(e.message());
        String text = message;
        String network = null;
        int at = nextNidAt(message, 0);
        if (at >= 0) {
            int end = wordEnd(message, at + 1);
            network = message.substring(at + 1, end);
            text = maskNids(message, at);
        }
        return new StormKey(e.fs(), e.category(), maskNode(text, e.node()), network);
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

    /** Characters this key keeps alive: fs, pattern and network. */
    int retainedChars() {
        return fs.length() + pattern.length() + (network == null ? 0 : network.length());
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

    /**
     * The network of the first NID of the message this key was made from (null when it named none,
     * and for keys not made by {@link #of}). Members of one key nearly always share it, since the
     * pattern keeps each NID's network; it is kept per member all the same, so the storm's
     * "router or network suspect" tally stays exact.
     */
    String network() {
        return network;
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

    /** An order consistent with equals, so HashMap keeps colliding keys in a searchable tree. */
    @Override
    public int compareTo(StormKey o) {
        int c = Integer.compare(hash, o.hash);
        if (c == 0) {
            c = Integer.compare(category.ordinal(), o.category.ordinal());
        }
        if (c == 0) {
            c = fs.compareTo(o.fs);
        }
        return c != 0 ? c : pattern.compareTo(o.pattern);
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
        int at = nextNidAt(message, 0);
        return maskNode(at < 0 ? message : maskNids(message, at), node);
    }

    /** Every whole-word occurrence of {@code node} in {@code text} replaced by {@link #maskedNode(String)}. */
    private static String maskNode(String text, String node) {
        if (node.isEmpty()) {
            return text;
        }
        int i = text.indexOf(node);
        if (i < 0) {
            return text;
        }
        int kept = -1; // how much of the node the mask keeps: maskedNode without the string
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
                    kept = maskedNodeKeeps(node);
                }
                sb.append(text, from, i).append(node, 0, kept).append('*');
                from = end;
            }
        }
        if (sb == null) {
            return text;
        }
        sb.append(text, from, text.length());
        return sb.toString();
    }

    /** Every NID ({@code a.b.c.d@net}, {@code fd00::5@net}; the first at {@code firstAt}) replaced by {@code *@net}. */
    private static String maskNids(String message, int firstAt) {
        StringBuilder sb = new StringBuilder(message.length());
        int copied = 0;
        for (int at = firstAt; at >= 0; ) {
            int end = wordEnd(message, at + 1);
            sb.append(message, copied, nidStart(message, at, copied)).append('*').append(message, at, end);
            copied = end;
            at = nextNidAt(message, end);
        }
        sb.append(message, copied, message.length());
        return sb.toString();
    }

    /**
     * The '@' of the next NID that starts at or after {@code from}, -1 when none: the one scan that
     * {@link #maskNids} and {@link #network} share, in place of the regex {@code \d+(\.\d+){3}@\w+}.
     * It looks at the '@'s only (String.indexOf, not a loop over every character) and checks the
     * address backwards from each. Matches are ordered by their '@' (an address holds none), so the
     * first '@' that checks out is the regex's leftmost match.
     */
    private static int nextNidAt(String message, int from) {
        for (int at = message.indexOf('@', from); at >= 0; at = message.indexOf('@', at + 1)) {
            if (nidStart(message, at, from) >= 0) {
                return at;
            }
        }
        return -1;
    }

    /**
     * When {@code s[at]} is the '@' of a NID lying wholly at or after {@code from}: where the NID
     * starts (the first digit of its address, as far back as the digits go); else -1. The '@' must
     * be followed by a word character, the address be four dot-separated digit runs.
     */
    private static int nidStart(String s, int at, int from) {
        if (at + 1 >= s.length() || !isWordChar(s.charAt(at + 1))) {
            return -1;
        }
        int v4 = ipv4Start(s, at, from);
        return v4 >= 0 ? v4 : ipv6Start(s, at, from);
    }

    /** Where the address {@code \d+\.\d+\.\d+\.\d+} ending before {@code at} starts, -1 when none. */
    private static int ipv4Start(String s, int at, int from) {
        int i = at;
        for (int part = 0; part < 4; part++) {
            int end = i;
            while (i > from && isDigit(s.charAt(i - 1))) {
                i--;
            }
            if (i == end) {
                return -1;
            }
            if (part < 3) {
                if (i <= from || s.charAt(i - 1) != '.') {
                    return -1;
                }
                i--;
            }
        }
        return i;
    }

    /**
     * Where an IPv6 address ending before {@code at} starts ({@code fd00:172:16:11::5@tcp}, Lustre
     * 2.16+ large NIDs), -1 when none: the whole run of hex digits and ':' before the '@', holding
     * two ':' at least, that begins at or after {@code from}. The regex:
     * {@code (?<![0-9A-Fa-f:])(?=[0-9A-Fa-f]*:[0-9A-Fa-f]*:)[0-9A-Fa-f:]+@\w}.
     */
    private static int ipv6Start(String s, int at, int from) {
        int colons = 0;
        int i = at;
        while (i > 0 && (isHexDigit(s.charAt(i - 1)) || s.charAt(i - 1) == ':')) {
            if (s.charAt(--i) == ':') {
                colons++;
            }
        }
        return colons >= 2 && i >= from ? i : -1;
    }

    /** {@code lustrefs-OST0004} -> {@code lustrefs-OST*}; any other name -> {@code *}. */
    static String maskedNode(String node) {
        return node.substring(0, maskedNodeKeeps(node)) + "*";
    }

    /** How many leading characters of the node its mask keeps before the '*': 0 unless a target name. */
    private static int maskedNodeKeeps(String node) {
        // The hex index holds no '-', so the "-OST"/"-MDT" before it starts at the last '-'.
        int dash = node.lastIndexOf('-');
        if (dash < 0 || !(node.startsWith("OST", dash + 1) || node.startsWith("MDT", dash + 1))) {
            return 0;
        }
        int index = dash + 4;
        if (index == node.length()) {
            return 0;
        }
        for (int i = index; i < node.length(); i++) {
            if (!isHexDigit(node.charAt(i))) {
                return 0;
            }
        }
        for (int i = 0; i < dash; i++) {
            if (isLineTerminator(node.charAt(i))) {
                return 0; // the regex's '.' does not match these
            }
        }
        return index;
    }

    /** The LNet network of the first NID in the message (o2ib1, tcp), or null when it names none. */
    static String network(String message) {
        int at = nextNidAt(message, 0);
        return at < 0 ? null : message.substring(at + 1, wordEnd(message, at + 1));
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
