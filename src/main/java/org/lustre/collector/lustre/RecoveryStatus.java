package org.lustre.collector.lustre;

/**
 * A target's {@code recovery_status}, as getNodeInfo shows it. Immutable. Numbers are -1 when
 * the file does not print them (a recovery still running has no duration; INACTIVE prints
 * nothing but the status).
 *
 * @param status           COMPLETE, RECOVERING, WAITING, WAITING_FOR_CLIENTS, INACTIVE; "" unknown
 * @param startEpoch       when recovery started, epoch seconds (see {@link RecoveryStatusParser}
 *                         for the 2.12.4-2.12.9 seconds-since-boot form); -1 unknown
 * @param durationSeconds  how long it took (COMPLETE only)
 * @param completedClients clients that recovered
 * @param totalClients     clients that were expected
 * @param evictedClients   clients evicted (COMPLETE: total - completed; RECOVERING: evicted_clients)
 */
public record RecoveryStatus(String status, long startEpoch, long durationSeconds, long completedClients,
                             long totalClients, long evictedClients) {
    /** Nothing read. */
    public static final RecoveryStatus UNKNOWN = new RecoveryStatus("", -1, -1, -1, -1, -1);

    /** True when recovery is over and evicted some clients: a trap (their in-flight work is lost). */
    public boolean completedWithEvictions() {
        return status.equals("COMPLETE") && evictedClients > 0;
    }
}
