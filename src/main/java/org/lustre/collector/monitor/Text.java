package org.lustre.collector.monitor;

/** Makes text from a collector safe for a terminal. Stateless; any thread. */
final class Text {
    private static final int MAX_LENGTH = 2000;

    private Text() {
    }

    /**
     * Replaces control characters (C0, DEL, C1) with '?', so a hostile or broken collector cannot
     * move the cursor or recolour the terminal, and bounds the length.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        int n = Math.min(s.length(), MAX_LENGTH);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
            if (control && b == null) {
                b = new StringBuilder(n).append(s, 0, i);
            }
            if (b != null) {
                b.append(control ? (c == '\t' ? ' ' : '?') : c);
            }
        }
        String out = b != null ? b.toString() : s.substring(0, n);
        return s.length() > MAX_LENGTH ? out + "..." : out;
    }
}
