package org.lustre.collector.forward;

import org.apache.logging.log4j.Logger;

/**
 * An output's "ok" or "error" and its last error, for {@link OutputStats}; a change is logged
 * once, not every failed send. Written by the output's thread, read by any.
 */
final class OutputState {
    private final Logger log;
    private final String name;
    private volatile String state = "ok";
    private volatile String message = "";

    /** @param name how log lines name the output ("syslog tcp://host:514") */
    OutputState(Logger log, String name) {
        this.log = log;
        this.name = name;
    }

    void ok() {
        if (!"ok".equals(state)) {
            log.info("{}: sending again", name);
        }
        state = "ok";
        message = "";
    }

    void failed(String why) {
        if (!"error".equals(state) || !why.equals(message)) {
            log.warn("{}: {}", name, why);
        }
        state = "error";
        message = why;
    }

    OutputStats stats(String kind, String target, long sent, long queueFull, long rejected, int queued) {
        return new OutputStats(kind, target, state, message, sent, queueFull, rejected, queued);
    }
}
