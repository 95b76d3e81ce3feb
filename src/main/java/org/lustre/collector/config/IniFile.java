package org.lustre.collector.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Reads one ini config file into the raw layer of {@link ConfigLoader}: the {@code [collector]}
 * section's keys, each with its file:line. Every value is taken literally: commons-configuration's
 * {@code ${sys:...}}, {@code ${env:...}} and {@code ${...}} interpolation is off (the interpolator
 * is removed and raw property values are read), so a config file cannot pull in the environment
 * or system properties. Called from the start-up thread only.
 * <p>
 * Limits, each a one-line error naming the file: at most {@value #MAX_BYTES} bytes (a config
 * file is a few hundred bytes; a larger one is a mistake, and reading it whole could exhaust
 * the heap), UTF-8 only. A UTF-8 byte order mark at the start is skipped (editors on other
 * systems write one).
 */
final class IniFile {
    static final int MAX_BYTES = 1 << 20;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private IniFile() {
    }

    /** Reads {@code file}; unknown keys and sections, and malformed lines, are errors with file:line. */
    static void read(Path file, Map<Option, ConfigLoader.Raw> into) throws ConfigException {
        String text = text(file);
        List<String> lines = text.lines().toList();
        checkSectionHeaders(file, lines);
        INIConfiguration ini = new INIConfiguration();
        ini.setInterpolator(null);
        try {
            ini.read(new StringReader(text));
        } catch (ConfigurationException | IOException | RuntimeException e) {
            throw new ConfigException("config file " + file + ": cannot be read: " + ConfigLoader.reason(e));
        }
        for (String section : ini.getSections()) {
            if (section == null) {
                // keys before any [section]
                Iterator<String> keys = ini.getSection(null).getKeys();
                if (keys.hasNext()) {
                    String key = keys.next();
                    throw new ConfigException("config file " + file + ":" + lineOf(lines, null, key)
                            + ": key '" + key + "' outside the [" + ConfigLoader.SECTION + "] section");
                }
            } else if (!ConfigLoader.SECTION.equals(section)) {
                throw new ConfigException("config file " + file + ":" + lineOf(lines, section, null)
                        + ": unknown section [" + section + "] (want [" + ConfigLoader.SECTION + "])");
            }
        }
        SubnodeConfiguration section = ini.getSection(ConfigLoader.SECTION);
        section.setInterpolator(null);
        for (Iterator<String> it = section.getKeys(); it.hasNext(); ) {
            String key = it.next();
            String where = file + ":" + lineOf(lines, ConfigLoader.SECTION, key);
            Option o = Option.byLongName(key);
            if (o == null || o == Option.FILENAME) {
                throw new ConfigException("config file " + where + ": unknown option '" + key + "'"
                        + (o == Option.FILENAME ? " (only on the command line)" : ""));
            }
            // getProperty is the stored value, never interpolated (getString would expand ${...}).
            Object value = section.getProperty(key);
            if (value instanceof List<?> values) {
                if (values.size() > 1) {
                    throw new ConfigException("option '" + key + "' (" + where + "): given more than once");
                }
                value = values.isEmpty() ? "" : values.get(0);
            }
            into.put(o, new ConfigLoader.Raw(value == null ? "" : value.toString(), where));
        }
    }

    /** The file's text: at most {@link #MAX_BYTES}, strict UTF-8, without a leading byte order mark. */
    private static String text(Path file) throws ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the cap rather than trust the size: it tells "too large" apart.
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("config file " + file + ": cannot be read: " + ConfigLoader.reason(e));
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException("config file " + file + ": larger than " + (MAX_BYTES >> 20)
                    + " MiB, not a config file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException("config file " + file + ": cannot be read: not UTF-8 text");
        }
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /**
     * A line opening a section without closing it: the ini library would take it for a key
     * outside any section and lose its line number, so it is found here first.
     */
    private static void checkSectionHeaders(Path file, List<String> lines) throws ConfigException {
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith("[") && t.indexOf(']') < 0) {
                throw new ConfigException("config file " + file + ":" + (i + 1) + ": section header '" + t
                        + "' has no closing ']'");
            }
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
            // The key ends at the first '=' or ':', as the ini library reads it.
            String[] kv = t.split("[=:]", 2);
            if (key != null && Objects.equals(current, section) && kv.length == 2 && kv[0].trim().equals(key)) {
                return i + 1;
            }
        }
        return 0;
    }
}
