package org.lustre.collector.lustre;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.log.RateLimitedLog;

/**
 * What went wrong reading the Lustre tree, since start: files that held garbage (parse errors)
 * and files that exist but could not be read (read errors; see docs/lustre-layout.md, "Errors").
 * A read error is logged once per kind (at most {@value #MAX_KINDS} kinds), parse errors at most
 * once a minute of scan clock. The counts and the first message are for getCollectorInfo.
 *
 * <p>Thread-safe: the scan thread and RPC threads (on-demand refresh) count into one instance;
 * each scan or refresh counts its own errors in a {@link Tally}.
 */
final class TreeErrors {
    private static final Logger LOG = LogManager.getLogger(TreeErrors.class);
    private static final int MAX_KINDS = 1_000;

    private final AtomicLong parseErrors = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private final RateLimitedLog skipped = new RateLimitedLog(LOG, RateLimitedLog.MINUTE_MILLIS, () -> this.clock,
            "skipped Lustre files");
    private final Set<String> kindsLogged = ConcurrentHashMap.newKeySet();
    private volatile String firstReadError = "";
    private volatile long clock;

    long parseErrors() {
        return parseErrors.get();
    }

    long readErrors() {
        return readErrors.get();
    }

    /** The first read error of the most recent kind logged ("" when none): path and error. */
    String lastReadErrorKind() {
        return firstReadError;
    }

    /**
     * The error part of an I/O exception's message: {@code /x/y (Permission denied)} as
     * FileInputStream words it, or {@code /x/y: Input/output error}.
     */
    static String errorText(String message) {
        int open = message.lastIndexOf('(');
        if (open >= 0 && message.endsWith(")")) {
            return message.substring(open + 1, message.length() - 1);
        }
        int colon = message.lastIndexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }

    Tally tally(long nowMillis) {
        clock = nowMillis;
        return new Tally();
    }

    /** The errors of one scan or refresh; for one thread. */
    final class Tally {
        int parse;
        int read;

        /** A file that holds garbage or vanished: counted, logged at most once a minute. */
        void parse(String what) {
            parse++;
            long total = parseErrors.incrementAndGet();
            skipped.warn("Lustre tree: skipped {} ({} so far; logged at most once a minute)", what, total);
        }

        /** A file that exists but cannot be read: counted, logged once per kind. */
        void read(LustreLayout.Item item, String path, java.io.IOException e) {
            read++;
            long total = readErrors.incrementAndGet();
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // The message names the file; the kind keeps only the error, so that 100,000 OSPs
            // failing alike (debugfs without root) log one line, not one each.
            String kind = item + ": " + errorText(reason);
            if (kindsLogged.size() < MAX_KINDS && kindsLogged.add(kind)) {
                firstReadError = path + ": " + reason;
                LOG.warn("Lustre tree: cannot read {} ({}); keeping what was known. Further errors of this kind "
                        + "are counted, not logged ({} so far)", path, reason, total);
            }
        }
    }
}
