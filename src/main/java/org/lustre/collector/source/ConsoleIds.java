package org.lustre.collector.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Ids for kernel console lines (dmesg, syslog), which carry no sequence number: the first 16 hex
 * digits of the MD5 of the line as written (time stamp and host included), then ".N" for the N-th
 * identical line in a row of lines with that time. So a line keeps its id whatever its place in
 * the file, rotation and restarts included, and an event the log shows twice is still two traps.
 * The caller adds a prefix ({@code boot_id} for times since boot, {@link #WALL_CLOCK_PREFIX} for
 * wall-clock times, whose lines are the same events whatever the boot). Lines with no time at all
 * are given the clock's time, so their ids are not stable across restarts. One per source thread.
 */
final class ConsoleIds {
    /** The prefix of lines time-stamped by the wall clock (syslog, dmesg -T). */
    static final String WALL_CLOCK_PREFIX = "console";
    /** Distinct lines of one time stamp counted; beyond, counting starts over (only a flood gets there). */
    private static final int MAX_COUNTED = 4096;

    private final MessageDigest md5;
    private final Map<String, Integer> seen = new HashMap<>();
    private long seenTime = Long.MIN_VALUE;

    ConsoleIds() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    /**
     * The id (without prefix) of {@code line}.
     *
     * @param line    the whole line as read, time stamp included
     * @param stamp   the time the line gives, as it gives it (usec since boot, epoch ms), or the
     *                clock's epoch ms when it gives none
     * @param stamped whether the line gives its time: if not, {@code stamp} goes into the hash
     */
    String next(String line, long stamp, boolean stamped) {
        String hashed = stamped ? line : stamp + "\n" + line;
        byte[] d = md5.digest(hashed.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 8; i++) {
            sb.append(Character.forDigit((d[i] >> 4) & 15, 16)).append(Character.forDigit(d[i] & 15, 16));
        }
        String hash = sb.toString();
        if (stamp != seenTime || seen.size() >= MAX_COUNTED) {
            seen.clear();
            seenTime = stamp;
        }
        int n = seen.merge(hash, 1, Integer::sum) - 1;
        return n == 0 ? hash : hash + "." + n;
    }
}
