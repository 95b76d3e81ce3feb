package org.lustre.collector.monitor;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.lustre.collector.trap.Category;

/**
 * The monitor's command line: one option table feeds the parser and {@code --help}. Parsing is
 * pure apart from reading --password-file; values are checked here so that the command gets a
 * consistent, immutable set. A bad command line is a {@link ParseException} whose message is the
 * one line to print. Any thread.
 */
final class MonitorOptions {
    static final String PASSWORD_ENV = "LUSTRE_COLLECTOR_PASSWORD";

    enum Mode { FOLLOW, STATUS, CHECK }

    /** One row of the option table. {@code arg} null = a flag. */
    private record Spec(String name, String arg, String help) {
    }

    private static final List<Spec> TABLE = List.of(
            new Spec("help", null, "print this help and exit"),
            new Spec("json", null, "one JSON object per line (traps and gaps) instead of text"),
            new Spec("since", "WHEN", "skip traps older than WHEN: 2h, 30m, 1d, 1h30m, PT2H or an ISO-8601 time "
                    + "(2025-01-31T08:00, ...+01:00, ...Z); check: the trap window, default 1h"),
            new Spec("once", null, "print the traps the collectors hold now and exit"),
            new Spec("min-category", "CAT", "skip traps below CAT: Info, Warning, Critical, Fatal or 0-3 (default Info)"),
            new Spec("interval", "SECONDS", "seconds between polls (default 5)"),
            new Spec("no-color", null, "no ANSI colours even on a terminal (never used when piped)"),
            new Spec("user", "NAME", "user for HTTP Basic authentication at the Apache proxy (sent preemptively)"),
            new Spec("password-file", "FILE", "file whose first line is the password; else the environment variable "
                    + PASSWORD_ENV + " (there is no password option)"),
            new Spec("cacert", "PEM", "trust the CA certificate(s) in this PEM file for https URLs instead of the JVM's"),
            new Spec("connect-timeout", "SECONDS", "TCP/TLS connect timeout (default 5)"),
            new Spec("timeout", "SECONDS", "read timeout: longest wait for an answer (default 30)"),
            new Spec("max-answer-mib", "MIB", "largest answer accepted, in MiB (default 16)"),
            new Spec("limit", "N", "traps asked per getTrapRecords call (default 1000; the collector caps it)"),
            new Spec("warning-not-responding", "N", "check: WARNING when at least N targets do not respond (default 1; 0 = off)"),
            new Spec("critical-not-responding", "N", "check: CRITICAL when at least N targets do not respond (default 1; 0 = off)"),
            new Spec("critical-category", "CAT", "check: traps of CAT or worse within --since count as traps_critical "
                    + "(default Critical)"),
            new Spec("critical-traps", "N", "check: CRITICAL when traps_critical is at least N (default 1; 0 = off)"));

    /** Most collectors one monitor follows, each with its own thread and connection (100 MDS pairs are 200). */
    static final int MAX_COLLECTORS = 512;

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhdw])");

    final Mode mode;
    final List<URL> urls;
    final boolean help;
    final boolean json;
    final boolean once;
    final boolean noColor;
    final long sinceSeconds;
    final String sinceText;
    final int minCategory;
    final Duration interval;
    final String user;
    final String password;
    final Path cacert;
    final Duration connectTimeout;
    final Duration readTimeout;
    final long maxAnswerBytes;
    final int limit;
    final int warningNotResponding;
    final int criticalNotResponding;
    final int criticalCategory;
    final int criticalTraps;

    private MonitorOptions(CommandLine cl, Mode mode, List<URL> urls, long nowMillis, ZoneId zone,
                           java.util.function.Function<String, String> getenv) throws ParseException {
        this.mode = mode;
        this.urls = List.copyOf(urls);
        this.help = cl.hasOption("help") || cl.hasOption("h");
        this.json = cl.hasOption("json");
        this.once = cl.hasOption("once");
        this.noColor = cl.hasOption("no-color");
        String since = cl.getOptionValue("since", mode == Mode.CHECK ? "1h" : null);
        this.sinceText = since;
        this.sinceSeconds = since == null ? Long.MIN_VALUE : parseSince(since, nowMillis, zone);
        this.minCategory = category(cl, "min-category", Category.INFO);
        this.interval = seconds(cl, "interval", 5, 0.1);
        this.connectTimeout = seconds(cl, "connect-timeout", 5, 0.1);
        this.readTimeout = seconds(cl, "timeout", 30, 0.1);
        this.maxAnswerBytes = integer(cl, "max-answer-mib", 16, 1) * 1024L * 1024L;
        this.limit = integer(cl, "limit", 1000, 1);
        this.warningNotResponding = integer(cl, "warning-not-responding", 1, 0);
        this.criticalNotResponding = integer(cl, "critical-not-responding", 1, 0);
        this.criticalCategory = category(cl, "critical-category", Category.CRITICAL);
        this.criticalTraps = integer(cl, "critical-traps", 1, 0);
        String cacertText = cl.getOptionValue("cacert");
        this.cacert = cacertText == null ? null : Path.of(cacertText);
        this.user = cl.getOptionValue("user");
        String passwordFile = cl.getOptionValue("password-file");
        if (user == null) {
            if (passwordFile != null) {
                throw new ParseException("--password-file needs --user");
            }
            this.password = null;
        } else if (passwordFile != null) {
            this.password = readPassword(Path.of(passwordFile));
        } else {
            String fromEnv = getenv.apply(PASSWORD_ENV);
            if (fromEnv == null) {
                throw new ParseException("--user needs --password-file FILE or the environment variable " + PASSWORD_ENV);
            }
            this.password = fromEnv;
        }
        if (user != null && user.indexOf(':') >= 0) {
            throw new ParseException("--user: a Basic user name cannot contain ':'");
        }
    }

    static MonitorOptions parse(String[] args, long nowMillis, ZoneId zone,
                                java.util.function.Function<String, String> getenv) throws ParseException {
        CommandLine cl;
        try {
            // No prefix matching: "--password x" must not quietly mean "--password-file x".
            cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options(), args);
        } catch (ParseException e) {
            String hint = "";
            for (String a : args) {
                if (a.startsWith("--password") && !a.startsWith("--password-file")) {
                    hint = " (a password is never taken on the command line: use --password-file or " + PASSWORD_ENV + ")";
                }
            }
            throw new ParseException(e.getMessage() + hint);
        }
        List<String> rest = new ArrayList<>(cl.getArgList());
        Mode mode = Mode.FOLLOW;
        if (!rest.isEmpty() && (rest.get(0).equals("status") || rest.get(0).equals("check"))) {
            mode = rest.remove(0).equals("status") ? Mode.STATUS : Mode.CHECK;
        }
        if (cl.hasOption("help") || cl.hasOption("h")) {
            return new MonitorOptions(cl, mode, List.of(), nowMillis, zone, name -> null);
        }
        if (rest.isEmpty()) {
            throw new ParseException("want at least one collector URL (see --help)");
        }
        if (rest.size() > MAX_COLLECTORS) {
            throw new ParseException("at most " + MAX_COLLECTORS + " collector URLs, got " + rest.size());
        }
        List<URL> urls = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String u : rest) {
            URL url = url(u);
            // Twice the same collector: its traps would be fetched twice and its failures counted twice.
            if (!seen.add(url.toString())) {
                throw new ParseException("collector URL given twice: " + url);
            }
            urls.add(url);
        }
        return new MonitorOptions(cl, mode, urls, nowMillis, zone, getenv);
    }

    private static Options options() {
        Options o = new Options();
        for (Spec s : TABLE) {
            Option.Builder b = Option.builder().longOpt(s.name()).desc(s.help());
            if (s.arg() != null) {
                b.hasArg().argName(s.arg());
            }
            o.addOption(b.build());
        }
        o.addOption(Option.builder("h").desc("same as --help").build());
        return o;
    }

    /** The whole --help text. */
    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage: java -jar lustre-collector.jar monitor [options] URL...
                       java -jar lustre-collector.jar monitor status [options] URL...
                       java -jar lustre-collector.jar monitor check [options] URL...

                Follows the traps of any number of collectors (both MDS of a pair, many pairs), merged,
                each trap once (by its id, across all of them). URL is a collector's XML-RPC endpoint,
                e.g. http://mds1:8980/RPC2 or the Apache proxy's https URL; a URL without a path gets
                /RPC2. Each collector is asked on its own thread and connection: the monitor goes on
                while any answers and reconnects to the others with backoff (1 s doubling up to 30 s);
                one that hangs does not delay the others' traps by more than one --interval.
                  status  file systems, targets, space used, targets not responding, per collector
                  check   one Nagios line; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (no collector
                          answered, or a bad command line). Any URL that fails gives WARNING.

                Options:
                """);
        for (Spec s : TABLE) {
            String left = "  --" + s.name() + (s.arg() == null ? "" : " " + s.arg());
            b.append(String.format(Locale.ROOT, "%-32s %s%n", left, s.help()));
        }
        b.append("\nExit codes (follow and status; check uses the Nagios codes above):\n");
        for (ExitCodes.Entry e : ExitCodes.TABLE) {
            b.append(String.format(Locale.ROOT, "  %3d  %s%n", e.code(), e.meaning()));
        }
        return b.toString();
    }

    static URL url(String text) throws ParseException {
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new ParseException("not an http or https URL: " + text);
            }
            if (u.getHost() == null) {
                throw new ParseException("URL without a host: " + text);
            }
            if (u.getUserInfo() != null) {
                throw new ParseException("no credentials in the URL, please: use --user and --password-file");
            }
            String path = u.getRawPath();
            if (path == null || path.isEmpty() || path.equals("/")) {
                u = new URI(scheme, null, u.getHost(), u.getPort(), "/RPC2", null, null);
            }
            return u.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new ParseException("bad URL " + text + ": " + e.getMessage());
        }
    }

    static long parseSince(String text, long nowMillis, ZoneId zone) throws ParseException {
        String t = text.trim();
        long nowSeconds = Math.floorDiv(nowMillis, 1000);
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return nowSeconds - Duration.parse(t).getSeconds();
            }
            Matcher m = RELATIVE.matcher(t.toLowerCase(Locale.ROOT));
            long total = 0;
            int end = 0;
            while (m.lookingAt()) {
                long n = Long.parseLong(m.group(1));
                total += n * switch (m.group(2)) {
                    case "s" -> 1;
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    default -> 604_800;
                };
                end = m.end();
                m.region(end, t.length());
            }
            if (end > 0 && end == t.length()) {
                return nowSeconds - total;
            }
            if (t.indexOf('T') > 0 || t.indexOf('t') > 0) {
                try {
                    return OffsetDateTime.parse(t).toEpochSecond();
                } catch (DateTimeParseException e) {
                    try {
                        return Instant.parse(t).getEpochSecond();
                    } catch (DateTimeParseException e2) {
                        return LocalDateTime.parse(t).atZone(zone).toEpochSecond();
                    }
                }
            }
            return LocalDate.parse(t).atStartOfDay(zone).toEpochSecond();
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new ParseException("--since: want 2h, 30m, 1d, PT2H or an ISO-8601 time, got '" + text + "'");
        }
    }

    private static String readPassword(Path file) throws ParseException {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new ParseException("--password-file " + file + ": first line is empty");
            }
            return lines.get(0);
        } catch (IOException e) {
            throw new ParseException("--password-file " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static int category(CommandLine cl, String name, Category dflt) throws ParseException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return dflt.code();
        }
        try {
            return Category.parse(v).code();
        } catch (IllegalArgumentException e) {
            throw new ParseException("--" + name + ": " + e.getMessage());
        }
    }

    private static int integer(CommandLine cl, String name, int dflt, int min) throws ParseException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min) {
                throw new ParseException("--" + name + ": want at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ParseException("--" + name + ": want a whole number, got '" + v + "'");
        }
    }

    private static Duration seconds(CommandLine cl, String name, double dflt, double min) throws ParseException {
        String v = cl.getOptionValue(name);
        double s = dflt;
        if (v != null) {
            try {
                s = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new ParseException("--" + name + ": want seconds, got '" + v + "'");
            }
            if (!(s >= min) || s > 86_400) {
                throw new ParseException("--" + name + ": want " + min + " to 86400 seconds, got " + v);
            }
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    /** "16 MiB", "512 KiB", "12 B". */
    static String formatBytes(long bytes) {
        if (bytes >= 1024L * 1024 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }
}
