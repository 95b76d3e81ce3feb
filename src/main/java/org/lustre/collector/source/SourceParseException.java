package org.lustre.collector.source;

/**
 * A line or record of a trap source that does not parse. Carries the offending text and the
 * reason, so the source can count it in {@link SourceHealth#parseError(String, String)} and go on.
 * Thrown and caught on the source's own thread.
 */
public final class SourceParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String line;
    private final String reason;

    public SourceParseException(String line, String reason) {
        super(reason + ": \"" + SourceHealth.truncate(line) + '"');
        this.line = line;
        this.reason = reason;
    }

    /** The text that did not parse, as read. */
    public String line() {
        return line;
    }

    /** Why it did not parse, one short phrase. */
    public String reason() {
        return reason;
    }
}
