package org.lustre.collector.config;

import java.util.stream.Stream;

/**
 * The one option table: it drives the command line, the ini files ({@code [collector]} section,
 * keys are the long names), {@code --help} and the README's table (a test keeps them equal).
 */
public enum Option {
    PORT("port", "p", OptionType.INT, "8980", 0, 65535, "HTTP port to bind; 0 = any free port (logged)"),
    HOST("host", "h", OptionType.STRING, "localhost", 0, 0, "address to bind; empty = all interfaces"),
    DAEMON("daemon", "d", OptionType.BOOL, "false", 0, 0,
            "detach from the terminal, write pid-file, log to log-file"),
    FILENAME("filename", "f", OptionType.PATH, "", 0, 0, "config file to load instead of the user's"),
    MAXTRAPS("maxtraps", "m", OptionType.INT, "250", 1, 1_000_000,
            "most traps stored and most traps sent in one answer"),
    INTERVAL("interval", "i", OptionType.SECONDS, "5", 1, 3600, "how often the Lustre tree is scanned"),
    LUSTRE_ROOT("lustre-root", "r", OptionType.PATH, "/", 0, 0,
            "root under which proc/fs/lustre, sys/fs/lustre and sys/kernel/debug/lustre are read"),
    TRAP_FILE("trap-file", "t", OptionType.PATH, "", 0, 0, "trap stream to follow; none = off"),
    KMSG("kmsg", "k", OptionType.PATH, "/dev/kmsg", 0, 0, "kernel log to follow for Lustre messages; none = off"),
    ALLOW("allow", "a", OptionType.CIDR_LIST, "127.0.0.1/32,::1/128", 0, 0, "peers allowed on the HTTP connector"),
    AJP_PORT("ajp-port", null, OptionType.INT, "0", 0, 65535, "AJP connector port on host; 0 = off"),
    AJP_SECRET_FILE("ajp-secret-file", null, OptionType.PATH, "", 0, 0,
            "file holding the AJP secret; required when ajp-port is set"),
    PID_FILE("pid-file", null, OptionType.PATH, "", 0, 0, "pid file written in daemon mode"),
    LOG_FILE("log-file", null, OptionType.PATH, "", 0, 0, "log file written in daemon mode"),
    ALLOW_ROOT("allow-root", null, OptionType.BOOL, "false", 0, 0,
            "the collector refuses to start as root without it"),
    SWEEP("sweep", null, OptionType.SECONDS, "60", 1, 86400,
            "every OST's connection state is re-read within this period, kernel log or not"),
    ACCEPT_HOST("accept-host", null, OptionType.STRING, "", 0, 0,
            "Host header names accepted (DNS-rebinding guard), comma-separated; empty = any"),
    ALERTMANAGER("alertmanager", null, OptionType.STRING, "", 0, 0,
            "Alertmanager URLs to push traps to (API v2), comma-separated; empty = off"),
    ALERT_MIN_CATEGORY("alert-min-category", null, OptionType.STRING, "Warning", 0, 0,
            "lowest category pushed as an alert (Info, Warning, Critical, Fatal or 0-3)"),
    SYSLOG("syslog", null, OptionType.STRING, "", 0, 0,
            "forward every trap as RFC 5424 syslog to udp://, tcp:// or tls://host:port; empty = off");

    private final String longName;
    private final String shortName;
    private final OptionType type;
    private final String defaultText;
    private final int min;
    private final int max;
    private final String description;

    Option(String longName, String shortName, OptionType type, String defaultText, int min, int max,
           String description) {
        this.longName = longName;
        this.shortName = shortName;
        this.type = type;
        this.defaultText = defaultText;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String longName() {
        return longName;
    }

    /** One-letter name, or null when the option has only a long name. */
    public String shortName() {
        return shortName;
    }

    OptionType type() {
        return type;
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Parses and range-checks one value. */
    Object parse(String text) {
        Object v = type.parse(text);
        if (v instanceof Integer i && max > min && (i < min || i > max)) {
            throw new IllegalArgumentException("out of range " + min + "-" + max);
        }
        return v;
    }

    /** The option of that long name, or null. */
    static Option byLongName(String name) {
        return Stream.of(values()).filter(o -> o.longName.equals(name)).findFirst().orElse(null);
    }
}
