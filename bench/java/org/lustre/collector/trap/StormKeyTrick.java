package org.lustre.collector.trap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The storm key's part of a storm, for the bench (StormKey is package-private, hence this class in
 * its package): per trap, the key the coalescer makes and its one lookup in a map of the recently
 * seen kinds (access order, the 4,096 most recent kept, as {@link StormCoalescer} keeps them), with
 * the key's network taken as the aggregate takes it. {@link #keysOf} does it with {@link StormKey},
 * {@link #plainKeysOf} with the plain key: one String of fs, category and the message's prefix
 * masked by the regexes StormKeyTest holds the hand-written scan to ({@link StormKeyRegexes}), so
 * both find the same kinds and networks, which {@link #sameKinds} checks.
 */
public final class StormKeyTrick {
    private StormKeyTrick() {
    }

    /** StormKey.of and one lookup per event: a number that depends on every key (so none is skipped). */
    public static int keysOf(List<TrapEvent> events) {
        Map<Object, int[]> recent = recentKinds();
        int sink = 0;
        for (TrapEvent e : events) {
            StormKey key = StormKey.of(e);
            sink += ++recent.computeIfAbsent(key, k -> new int[1])[0] + hash(key.network());
        }
        return sink + recent.size();
    }

    /** The plain key and one lookup per event, as {@link #keysOf}. */
    public static int plainKeysOf(List<TrapEvent> events) {
        Map<Object, int[]> recent = recentKinds();
        int sink = 0;
        for (TrapEvent e : events) {
            String message = StormKey.prefix(e.message());
            sink += ++recent.computeIfAbsent(plainKey(e, message), k -> new int[1])[0]
                    + hash(StormKeyRegexes.network(message));
        }
        return sink + recent.size();
    }

    /** The plain key of an event whose message prefix is {@code message}: fs, category, masked message. */
    private static String plainKey(TrapEvent e, String message) {
        return e.fs() + '\n' + e.category() + '\n' + StormKeyRegexes.mask(message, e.node());
    }

    /** True when both keys sort {@code events} into the same kinds (one plain key per StormKey) and networks. */
    public static boolean sameKinds(List<TrapEvent> events) {
        Map<StormKey, String> plainOf = new HashMap<>();
        Set<String> plain = new HashSet<>();
        for (TrapEvent e : events) {
            StormKey k = StormKey.of(e);
            String message = StormKey.prefix(e.message());
            String p = plainKey(e, message);
            if (!Objects.equals(k.network(), StormKeyRegexes.network(message))
                    || !p.equals(plainOf.computeIfAbsent(k, x -> p))) {
                return false;
            }
            plain.add(p);
        }
        return plainOf.size() == plain.size();
    }

    private static Map<Object, int[]> recentKinds() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, int[]> eldest) {
                return size() > StormCoalescer.MAX_TRACKED_KEYS;
            }
        };
    }

    private static int hash(String network) {
        return network == null ? 0 : network.hashCode();
    }
}
