package org.lustre.collector.rpc;

/**
 * How many bytes one answer may take, so that no request can make the collector build an answer
 * its heap cannot hold (the packaged JVM has 192 MiB and serves 8 requests at once; a trap message
 * of 4 KiB of '&amp;' is 20 KiB once escaped).
 */
public final class AnswerLimit {
    /**
     * getTraps and getTrapRecords stop at a whole trap before their traps pass it, and say so; a
     * multicall stops running calls once its answers pass it (measured with {@link AnswerSize}).
     */
    public static final int TRAP_BYTES = 4 << 20;
    /**
     * No answer is ever written past it: {@link AnswerSerializer} stops and the call answers fault
     * -32603 instead. Only a method with no cut of its own can get there (getNodeNames("") at
     * 100,000 OSTs is ~3 MB, well below).
     */
    public static final int HARD_BYTES = 8 << 20;

    private AnswerLimit() {
    }

    /** "4 MiB", for messages. */
    static String mib(int bytes) {
        return (bytes >> 20) + " MiB";
    }

    /**
     * An answer would pass its limit: it is abandoned before its buffer grows further. Unchecked,
     * so it passes through Apache XML-RPC's writer; no stack trace (an expected outcome, answered
     * as a fault).
     */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(int limit) {
            super("the answer would pass " + mib(limit), null, false, false);
        }
    }
}
