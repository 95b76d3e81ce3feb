package org.lustre.collector.source;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.lustre.collector.log.RateLimitedLog;

/**
 * The health of one trap source (getCollectorInfo's {@code sources}), so a monitor can tell a
 * healthy silent source from a broken one. Written by the source's own thread, read by any.
 * Parse errors are counted every time but logged at most once a minute per source.
 */
public final class SourceHealth {
    private static final Logger LOG = LogManager.getLogger(SourceHealth.class);

    private final String name;
    private final String path;
    private volatile String state = "ok";
    private volatile String message = "";
    private final AtomicLong parseErrors = new AtomicLong();
    private final RateLimitedLog unparsable = new RateLimitedLog(LOG, RateLimitedLog.MINUTE_MILLIS,
            System::currentTimeMillis, "unparsable lines");

    public SourceHealth(String name, String path) {
        this.name = name;
        this.path = path;
    }

    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    /** "ok" or "error". */
    public String state() {
        return state;
    }

    public String message() {
        return message;
    }

    public long parseErrors() {
        return parseErrors.get();
    }

    public void ok(String why) {
        if (!"ok".equals(state)) {
            LOG.info("{} source {} recovered: {}", name, path, why);
        }
        state = "ok";
        message = why;
    }

    public void error(String why) {
        if (!"error".equals(state) || !why.equals(message)) {
            LOG.warn("{} source {}: {}", name, path, why);
        }
        state = "error";
        message = why;
    }

    /** Counts a line that did not parse; logs it unless one was logged in the last minute. */
    public void parseError(String line, String reason) {
        long n = parseErrors.incrementAndGet();
        unparsable.warn("{} source {}: unparsable line ({} so far): {}: {}", name, path, n, reason, truncate(line));
    }

    /** The first 200 characters of {@code line}, then "..." when it is longer: what a log line quotes. */
    static String truncate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
