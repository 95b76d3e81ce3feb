package org.lustre.collector.lustre;

/**
 * How bad each import state ({@code lustre_import.h}: CLOSED NEW DISCONN CONNECTING REPLAY
 * REPLAY_LOCKS REPLAY_WAIT RECOVER FULL EVICTED IDLE) is, to merge what several OSP devices
 * report of one target (under DNE every MDT of the node has its own): the target is as bad as
 * the worst of them. Stateless.
 */
final class ImportStates {
    private ImportStates() {
    }

    /** -1 unknown (""), 0 FULL, 1 IDLE (connected, quiet), 2 recovering, 3 connecting, 4 lost, 5 closed. */
    static int rank(String state) {
        return switch (state) {
            case "" -> -1;
            case "FULL" -> 0;
            case "IDLE" -> 1;
            case "REPLAY", "REPLAY_LOCKS", "REPLAY_WAIT", "RECOVER" -> 2;
            case "NEW", "CONNECTING" -> 3;
            case "CLOSED" -> 5;
            default -> 4; // DISCONN, EVICTED, <UNKNOWN>, anything newer
        };
    }

    private static final String[] NAMES = {"CLOSED", "NEW", "DISCONN", "CONNECTING", "REPLAY", "REPLAY_LOCKS",
        "REPLAY_WAIT", "RECOVER", "FULL", "EVICTED", "IDLE"};

    /**
     * The one String of each known state name (lustre_import.h), so that 100,000 readings do not
     * each keep their own copy of "FULL"; an unknown name is returned as is.
     */
    static String canonical(String state) {
        for (String n : NAMES) {
            if (n.equals(state)) {
                return n;
            }
        }
        return state;
    }

    /** The connection is not usable: anything but FULL, IDLE or unknown. */
    static boolean lost(String state) {
        return rank(state) >= 2;
    }

    /** The worse of two states; an unknown one never wins over a known one. */
    static String worse(String a, String b) {
        return rank(b) > rank(a) ? b : a;
    }
}
