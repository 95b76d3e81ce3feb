package org.lustre.collector.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Resolves the configuration from its four layers, highest first: command line; the file named
 * by {@code -f}, else the user's {@code ~/.lustre-collector/config}; the system-wide
 * {@code /etc/lustre-collector/config}; the option table's defaults. Every value is validated
 * where it is read, so an error names the option and its source. Called once at start-up.
 */
public final class ConfigLoader {
    public static final Path SYSTEM_FILE = Path.of("/etc/lustre-collector/config");
    public static final String SECTION = "collector";

    /** A raw value and where it came from, before type checks. */
    record Raw(String text, String origin) {
    }

    private ConfigLoader() {
    }

    /**
     * @param cli        the parsed command line (options of {@link CommandLineOptions})
     * @param userHome   the user's home directory (for ~/.lustre-collector/config)
     * @param systemFile the system-wide file (normally {@link #SYSTEM_FILE})
     */
    public static CollectorConfig load(CommandLine cli, Path userHome, Path systemFile) throws ConfigException {
        Map<Option, Raw> raw = new EnumMap<>(Option.class);
        if (Files.exists(systemFile)) {
            readIni(systemFile, raw);
        }
        String named = cli.getOptionValue(Option.FILENAME.longName());
        if (named != null) {
            Path file = Path.of(named);
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("option 'filename' (command line): no such file: " + file);
            }
            readIni(file, raw);
        } else {
            Path user = userHome.resolve(".lustre-collector").resolve("config");
            if (Files.exists(user)) {
                readIni(user, raw);
            }
        }
        for (Option o : Option.values()) {
            if (o.type().isFlag()) {
                if (cli.hasOption(o.longName())) {
                    raw.put(o, new Raw("true", "command line"));
                }
            } else if (cli.hasOption(o.longName())) {
                raw.put(o, new Raw(cli.getOptionValue(o.longName()), "command line"));
            }
        }
        return build(raw);
    }

    /** For tests and embedded use: values by long name, each marked as from the command line. */
    public static CollectorConfig fromValues(Map<String, String> values) throws ConfigException {
        Map<Option, Raw> raw = new EnumMap<>(Option.class);
        for (Map.Entry<String, String> e : values.entrySet()) {
            Option o = Option.byLongName(e.getKey());
            if (o == null) {
                throw new ConfigException("unknown option '" + e.getKey() + "'");
            }
            raw.put(o, new Raw(e.getValue(), "command line"));
        }
        return build(raw);
    }

    /** Reads one ini file into the raw layer; unknown keys and sections are errors with file:line. */
    static void readIni(Path file, Map<Option, Raw> into) throws ConfigException {
        List<String> lines;
        INIConfiguration ini = new INIConfiguration();
        try {
            // Read once: the ini library parses the text, the lines give error messages their number.
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ini.read(new java.io.StringReader(text));
            lines = text.lines().toList();
        } catch (IOException | ConfigurationException | RuntimeException e) {
            throw new ConfigException("config file " + file + ": cannot be read: " + reason(e));
        }
        for (String section : ini.getSections()) {
            if (section == null) {
                // keys before any [section]
                SubnodeConfiguration global = ini.getSection(null);
                Iterator<String> keys = global.getKeys();
                if (keys.hasNext()) {
                    String key = keys.next();
                    throw new ConfigException("config file " + file + ":" + lineOf(lines, null, key)
                            + ": key '" + key + "' outside the [" + SECTION + "] section");
                }
            } else if (!SECTION.equals(section)) {
                throw new ConfigException("config file " + file + ":" + lineOf(lines, section, null)
                        + ": unknown section [" + section + "] (want [" + SECTION + "])");
            }
        }
        SubnodeConfiguration section = ini.getSection(SECTION);
        for (Iterator<String> it = section.getKeys(); it.hasNext(); ) {
            String key = it.next();
            String where = file + ":" + lineOf(lines, SECTION, key);
            Option o = Option.byLongName(key);
            if (o == null || o == Option.FILENAME) {
                throw new ConfigException("config file " + where + ": unknown option '" + key + "'"
                        + (o == Option.FILENAME ? " (only on the command line)" : ""));
            }
            String[] values = section.getStringArray(key);
            if (values.length > 1) {
                throw new ConfigException("option '" + key + "' (" + where + "): given more than once");
            }
            into.put(o, new Raw(values.length == 0 ? "" : values[0], where));
        }
    }

    /**
     * Finds the line that sets a key (or opens a section), for error messages: the ini library
     * does not keep line numbers. Returns 0 when not found.
     */
    static int lineOf(List<String> lines, String section, String key) {
        String current = null;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith("[") && t.endsWith("]")) {
                current = t.substring(1, t.length() - 1).trim();
                if (key == null && current.equals(section)) {
                    return i + 1;
                }
                continue;
            }
            if (key != null && java.util.Objects.equals(current, section)) {
                int eq = indexOfSeparator(t);
                if (eq > 0 && t.substring(0, eq).trim().equals(key)) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static int indexOfSeparator(String t) {
        int eq = t.indexOf('=');
        int colon = t.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static CollectorConfig build(Map<Option, Raw> raw) throws ConfigException {
        Map<Option, Object> v = new EnumMap<>(Option.class);
        Map<Option, String> origins = new EnumMap<>(Option.class);
        for (Option o : Option.values()) {
            Raw r = raw.getOrDefault(o, new Raw(o.defaultText(), "default"));
            try {
                v.put(o, o.parse(r.text()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("option '" + o.longName() + "' (" + r.origin() + "): bad value '"
                        + r.text() + "': " + e.getMessage());
            }
            origins.put(o, r.origin());
        }
        int ajpPort = (Integer) v.get(Option.AJP_PORT);
        Path secret = path(v.get(Option.AJP_SECRET_FILE));
        if (ajpPort != 0) {
            if (secret == null) {
                throw new ConfigException("option 'ajp-secret-file' (" + origins.get(Option.AJP_PORT)
                        + "): required when ajp-port is set");
            }
            if (!Files.isReadable(secret)) {
                throw new ConfigException("option 'ajp-secret-file' (" + origins.get(Option.AJP_SECRET_FILE)
                        + "): cannot read " + secret);
            }
        }
        boolean daemon = (Boolean) v.get(Option.DAEMON);
        if (daemon && path(v.get(Option.LOG_FILE)) == null) {
            throw new ConfigException("option 'log-file' (" + origins.get(Option.DAEMON)
                    + "): required in daemon mode");
        }
        Path root = path(v.get(Option.LUSTRE_ROOT));
        if (root == null) {
            throw new ConfigException("option 'lustre-root' (" + origins.get(Option.LUSTRE_ROOT) + "): empty");
        }
        return new CollectorConfig((Integer) v.get(Option.PORT), (String) v.get(Option.HOST), daemon,
                path(v.get(Option.FILENAME)), (Integer) v.get(Option.MAXTRAPS), (Integer) v.get(Option.INTERVAL),
                root, path(v.get(Option.TRAP_FILE)), path(v.get(Option.KMSG)),
                castList(v.get(Option.ALLOW)), ajpPort, secret, path(v.get(Option.PID_FILE)),
                path(v.get(Option.LOG_FILE)), (Boolean) v.get(Option.ALLOW_ROOT), (Integer) v.get(Option.SWEEP),
                hostNames((String) v.get(Option.ACCEPT_HOST)),
                alertmanagers((String) v.get(Option.ALERTMANAGER), origins.get(Option.ALERTMANAGER)),
                category((String) v.get(Option.ALERT_MIN_CATEGORY), origins.get(Option.ALERT_MIN_CATEGORY)),
                SyslogAddress.option((String) v.get(Option.SYSLOG), origins.get(Option.SYSLOG)), origins);
    }

    /** "http://am1:9093, http://am2:9093" -> absolute http(s) URLs with a host; every bad one named. */
    private static List<java.net.URI> alertmanagers(String text, String origin) throws ConfigException {
        List<java.net.URI> out = new java.util.ArrayList<>();
        List<String> bad = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                java.net.URI u = new java.net.URI(p);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                    out.add(u);
                    continue;
                }
            } catch (java.net.URISyntaxException e) {
                // named below with the others
            }
            bad.add("'" + p + "'");
        }
        if (!bad.isEmpty()) {
            throw new ConfigException("option 'alertmanager' (" + origin + "): not an http:// or https:// URL: "
                    + String.join(", ", bad));
        }
        return out;
    }

    private static org.lustre.collector.trap.Category category(String text, String origin) throws ConfigException {
        try {
            return org.lustre.collector.trap.Category.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("option 'alert-min-category' (" + origin + "): " + e.getMessage());
        }
    }

    /** "mds1.example.org, localhost" -> [mds1.example.org, localhost]: lower case, as Host headers compare. */
    private static List<String> hostNames(String text) {
        List<String> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    /** Empty and "none" mean off. */
    private static Path path(Object o) {
        String s = ((String) o).trim();
        return s.isEmpty() || s.equalsIgnoreCase("none") ? null : Path.of(s);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text"; // the decoder's own message is "Input length = 1"
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
