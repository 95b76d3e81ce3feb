package org.lustre.collector.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.cli.CommandLine;

/**
 * Resolves the configuration from its four layers, highest first: command line; the file named
 * by {@code -f}, else the user's {@code ~/.lustre-collector/config}; the system-wide
 * {@code /etc/lustre-collector/config}; the option table's defaults. Every value is validated
 * where it is read, so an error names the option and its source. Called once at start-up.
 */
public final class ConfigLoader {
    public static final Path SYSTEM_FILE = Path.of("/etc/lustre-collector/config");
    public static final String SECTION = "collector";
    /** Largest AJP secret file read (a secret is a line; a larger file is the wrong file). */
    static final int MAX_SECRET_BYTES = 4096;
    /** Worst-case heap one stored trap costs, held and served (see checkHeap). */
    static final long BYTES_PER_TRAP = 16 * 1024;

    /** A raw value and where it came from, before type checks. */
    record Raw(String text, String origin) {
    }

    private ConfigLoader() {
    }

    /** The configuration from {@code cli} and the files (the user's under {@code userHome}). */
    public static CollectorConfig load(CommandLine cli, Path userHome, Path systemFile) throws ConfigException {
        return load(cli, userHome, systemFile, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #load(CommandLine, Path, Path)} for a heap of {@code maxHeapBytes} (tests fake a small one). */
    static CollectorConfig load(CommandLine cli, Path userHome, Path systemFile, long maxHeapBytes)
            throws ConfigException {
        Map<Option, Raw> raw = new EnumMap<>(Option.class);
        if (Files.exists(systemFile)) {
            IniFile.read(systemFile, raw);
        }
        String named = cli.getOptionValue(Option.FILENAME.longName());
        if (named != null) {
            Path file = Path.of(named);
            if (Files.isDirectory(file)) {
                throw new ConfigException("option 'filename' (command line): " + file
                        + " is a directory, not a config file");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("option 'filename' (command line): no such file: " + file);
            }
            IniFile.read(file, raw);
        } else {
            Path user = userHome.resolve(".lustre-collector").resolve("config");
            if (Files.exists(user)) {
                IniFile.read(user, raw);
            }
        }
        for (Option o : Option.values()) {
            if (cli.hasOption(o.longName())) {
                raw.put(o, new Raw(o.type().isFlag() ? "true" : cli.getOptionValue(o.longName()), "command line"));
            }
        }
        return build(raw, maxHeapBytes);
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
        return build(raw, Runtime.getRuntime().maxMemory());
    }

    @SuppressWarnings("unchecked")
    private static CollectorConfig build(Map<Option, Raw> raw, long maxHeapBytes) throws ConfigException {
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
        String host = (String) v.get(Option.HOST);
        checkResolves(host, origins.get(Option.HOST));
        int maxTraps = (Integer) v.get(Option.MAXTRAPS);
        checkHeap(maxTraps, maxHeapBytes, origins.get(Option.MAXTRAPS));
        int ajpPort = (Integer) v.get(Option.AJP_PORT);
        Path secret = path(v.get(Option.AJP_SECRET_FILE));
        if (ajpPort != 0) {
            if (secret == null) {
                throw new ConfigException("option 'ajp-secret-file' (" + origins.get(Option.AJP_PORT)
                        + "): required when ajp-port is set");
            }
            checkSecret(secret, origins.get(Option.AJP_SECRET_FILE));
        }
        Path trapFile = path(v.get(Option.TRAP_FILE));
        notADirectory(Option.TRAP_FILE, trapFile, origins, "a trap file or FIFO");
        Path kmsg = path(v.get(Option.KMSG));
        notADirectory(Option.KMSG, kmsg, origins, "/dev/kmsg or a console log file");
        boolean daemon = (Boolean) v.get(Option.DAEMON);
        if (daemon && path(v.get(Option.LOG_FILE)) == null) {
            throw new ConfigException("option 'log-file' (" + origins.get(Option.DAEMON)
                    + "): required in daemon mode");
        }
        Path root = path(v.get(Option.LUSTRE_ROOT));
        if (root == null) {
            throw new ConfigException("option 'lustre-root' (" + origins.get(Option.LUSTRE_ROOT) + "): empty");
        }
        return new CollectorConfig((Integer) v.get(Option.PORT), host, daemon,
                path(v.get(Option.FILENAME)), maxTraps, (Integer) v.get(Option.INTERVAL),
                root, trapFile, kmsg,
                (List<String>) v.get(Option.ALLOW), ajpPort, secret, path(v.get(Option.PID_FILE)),
                path(v.get(Option.LOG_FILE)), (Boolean) v.get(Option.ALLOW_ROOT), (Integer) v.get(Option.SWEEP),
                // Lower case, as Host headers compare.
                OptionType.items(((String) v.get(Option.ACCEPT_HOST)).toLowerCase(Locale.ROOT)),
                alertmanagers((String) v.get(Option.ALERTMANAGER), origins.get(Option.ALERTMANAGER)),
                category((String) v.get(Option.ALERT_MIN_CATEGORY), origins.get(Option.ALERT_MIN_CATEGORY)),
                SyslogAddress.option((String) v.get(Option.SYSLOG), origins.get(Option.SYSLOG)), origins);
    }

    /** "http://am1:9093, http://am2:9093" -> absolute http(s) URLs with a host; every bad one named. */
    private static List<URI> alertmanagers(String text, String origin) throws ConfigException {
        List<URI> out = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String p : OptionType.items(text)) {
            try {
                URI u = new URI(p);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                    out.add(u);
                    continue;
                }
            } catch (URISyntaxException e) {
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

    /**
     * A host name that does not resolve would leave the connector bound to every interface (and
     * only a log line saying so): refused here instead. Empty = all interfaces, on purpose.
     */
    private static void checkResolves(String host, String origin) throws ConfigException {
        if (host.isEmpty()) {
            return;
        }
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new ConfigException("option 'host' (" + origin + "): cannot resolve '" + host
                    + "' (a name or address of this host; empty = all interfaces)");
        }
    }

    /**
     * Refuses a maxtraps the heap ({@code maxHeapBytes}, Runtime.maxMemory()) cannot hold and serve.
     * The store keeps maxtraps traps whatever their size, so each is counted at its worst: a
     * message cut at about 4 KiB. Measured (20,000 such traps in a TrapStore, heap after GC):
     * 4.4 KiB a trap in Latin-1, 8.4 KiB otherwise (UTF-16); serving adds its XML form, 4 to 12 KiB
     * of UTF-8. Hence {@value #BYTES_PER_TRAP} bytes a trap, and the traps may take at most half of
     * the heap: the rest is Tomcat, up to 100,000 targets, request buffers and the GC's room. With
     * the packaged -Xmx192m that allows about 6,000 traps; the default 250 needs 8 MiB.
     */
    private static void checkHeap(int maxTraps, long maxHeapBytes, String origin) throws ConfigException {
        long bound = maxHeapBytes / 2 / BYTES_PER_TRAP;
        if (maxTraps > bound) {
            long needMib = (maxTraps * BYTES_PER_TRAP * 2 + (1 << 20) - 1) >> 20;
            // The need plus 10%, to a multiple of 64: Runtime.maxMemory() is less than -Xmx with some
            // collectors (the serial one: 185 MiB of -Xmx192m), so -Xmx at the bare need would be refused.
            long xmxMib = (needMib * 11 / 10 + 63) / 64 * 64;
            throw new ConfigException("option 'maxtraps' (" + origin + "): " + maxTraps + " traps need "
                    + needMib + " MiB of heap, this JVM has " + (maxHeapBytes >> 20)
                    + " MiB: lower maxtraps to " + bound + " or raise the heap (java -Xmx" + xmxMib + "m)");
        }
    }

    /**
     * An empty or blank secret would let the collector say it listens on AJP while Tomcat's
     * connector refuses to start without one. Reads at most {@value #MAX_SECRET_BYTES} bytes.
     */
    private static void checkSecret(Path secret, String origin) throws ConfigException {
        String where = "option 'ajp-secret-file' (" + origin + "): ";
        if (Files.isDirectory(secret)) {
            throw new ConfigException(where + secret + " is a directory");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(secret)) {
            bytes = in.readNBytes(MAX_SECRET_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(where + "cannot read " + secret + ": " + reason(e));
        }
        if (bytes.length > MAX_SECRET_BYTES) {
            throw new ConfigException(where + secret + " is larger than " + MAX_SECRET_BYTES
                    + " bytes, not a secret file");
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new ConfigException(where + secret + " holds no secret (empty or blank)");
        }
    }

    /** A source path that is a directory is certainly wrong; one not there yet may appear later. */
    private static void notADirectory(Option o, Path p, Map<Option, String> origins, String want)
            throws ConfigException {
        if (p != null && Files.isDirectory(p)) {
            throw new ConfigException("option '" + o.longName() + "' (" + origins.get(o) + "): " + p
                    + " is a directory (want " + want + ")");
        }
    }

    /** Empty and "none" mean off. */
    private static Path path(Object o) {
        String s = ((String) o).trim();
        return s.isEmpty() || s.equalsIgnoreCase("none") ? null : Path.of(s);
    }

    static String reason(Exception e) {
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
