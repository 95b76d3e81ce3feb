package org.lustre.collector.monitor;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Exit codes of {@code monitor} and {@code monitor status}: these, and one per
 * {@link CollectorException.Kind}. {@code monitor check} uses the Nagios codes 0-3 instead. The
 * table feeds {@code --help} and docs/monitor.md.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;

    static final int NAGIOS_OK = 0;
    static final int NAGIOS_WARNING = 1;
    static final int NAGIOS_CRITICAL = 2;
    static final int NAGIOS_UNKNOWN = 3;

    record Entry(int code, String meaning) {
    }

    static final List<Entry> TABLE = Stream.concat(
            Stream.of(new Entry(OK, "success (with two URLs: at least one collector answered)"),
                    new Entry(INTERNAL, "unexpected internal error"),
                    new Entry(USAGE, "bad command line, unreadable --password-file or --cacert")),
            Arrays.stream(CollectorException.Kind.values()).map(k -> new Entry(k.exitCode, k.meaning))).toList();

    private ExitCodes() {
    }
}
