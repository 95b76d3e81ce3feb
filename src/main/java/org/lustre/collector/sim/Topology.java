package org.lustre.collector.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The file systems of a simulated tree, their OST counts, and the names, NIDs and networks
 * derived from the file-system and OST index (never stored). Two OSTs per OSS, OSSes in failover
 * pairs; pairs spread over up to four networks, so that a router failure on one network takes out
 * a recognisable quarter of the file system. Immutable, any thread.
 */
final class Topology {
    static final int OSTS_PER_OSS = 2;
    static final int MAX_NETWORKS = 4;

    private final List<String> fileSystems;
    private final int[] ostCounts;

    Topology(List<String> fileSystems, int[] ostCounts) {
        this.fileSystems = List.copyOf(fileSystems);
        this.ostCounts = ostCounts.clone();
    }

    List<String> fileSystems() {
        return fileSystems;
    }

    String fileSystem(int f) {
        return fileSystems.get(f);
    }

    int ostCount(int f) {
        return ostCounts[f];
    }

    int totalOsts() {
        return Arrays.stream(ostCounts).sum();
    }

    static String targetName(String fs, int index) {
        return String.format(Locale.ROOT, "%s-OST%04x", fs, index);
    }

    static String ospName(String fs, int index) {
        return targetName(fs, index) + "-osc-MDT0000";
    }

    static String lodName(String fs) {
        return fs + "-MDT0000-mdtlov";
    }

    List<String> networks(int f) {
        return IntStream.rangeClosed(1, networkCount(ostCounts[f])).mapToObj(k -> "o2ib" + k).toList();
    }

    private static int networkCount(int osts) {
        int oss = (osts + OSTS_PER_OSS - 1) / OSTS_PER_OSS;
        int pairs = (oss + 1) / 2;
        return Math.max(1, Math.min(MAX_NETWORKS, pairs));
    }

    int networkNumber(int f, int i) {
        int pair = i / OSTS_PER_OSS / 2;
        return 1 + pair % networkCount(ostCounts[f]);
    }

    private static String ossNid(int f, int oss, int net) {
        return "10." + f + "." + oss / 250 + "." + (1 + oss % 250) + "@o2ib" + net;
    }

    String nid(int f, int i) {
        return ossNid(f, i / OSTS_PER_OSS, networkNumber(f, i));
    }

    /** The OSS's own NID first, then its failover partner's (same pair, same network). */
    List<String> failoverNids(int f, int i) {
        int oss = i / OSTS_PER_OSS;
        int partner = oss ^ 1;
        int ossCount = (ostCounts[f] + OSTS_PER_OSS - 1) / OSTS_PER_OSS;
        int net = networkNumber(f, i);
        return partner < ossCount ? List.of(ossNid(f, oss, net), ossNid(f, partner, net)) : List.of(ossNid(f, oss, net));
    }

    /** @throws IllegalArgumentException naming the known file systems */
    int fsIndex(String fs) {
        int f = fileSystems.indexOf(fs);
        if (f < 0) {
            throw new IllegalArgumentException("unknown file system '" + fs + "' (have " + String.join(", ",
                    fileSystems.size() > 5 ? fileSystems.subList(0, 5) : fileSystems)
                    + (fileSystems.size() > 5 ? ", ..." : "") + ")");
        }
        return f;
    }

    /** The file system's index, after checking that it has OST {@code index}. */
    int check(String fs, int index) {
        int f = fsIndex(fs);
        if (index < 0 || index >= ostCounts[f]) {
            throw new IllegalArgumentException("OST index " + index + " out of range for " + fs
                    + " (0-" + (ostCounts[f] - 1) + ")");
        }
        return f;
    }

    /** {@code o2ib2} or {@code 2} to 2; null or blank = the first network. */
    int parseNetwork(int f, String network) {
        int nets = networkCount(ostCounts[f]);
        if (network == null || network.isBlank()) {
            return 1;
        }
        String t = network.trim();
        if (t.startsWith("o2ib")) {
            t = t.substring(4);
        }
        int k;
        try {
            k = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            k = -1;
        }
        if (k < 1 || k > nets) {
            throw new IllegalArgumentException("unknown network '" + network + "' for " + fileSystems.get(f)
                    + " (have o2ib1-o2ib" + nets + ")");
        }
        return k;
    }
}
