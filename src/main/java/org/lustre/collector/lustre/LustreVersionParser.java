package org.lustre.collector.lustre;

import java.util.regex.Pattern;

/**
 * Parses {@code sys/fs/lustre/version} ({@code LUSTRE_RO_ATTR(version)}, obd_sysfs.c; proc before
 * 2.10): {@code LUSTRE_VERSION_STRING}, a release with any build suffix ({@code 2.12.9_12.llnl},
 * {@code 2.14.0_ddn145}, {@code 2.15.62_11_gabcdef0}). Old proc files read
 * {@code lustre: 2.x.y} followed by kernel and build lines; the first is taken. Stateless.
 */
final class LustreVersionParser {
    private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+[A-Za-z0-9._+~-]*");

    private LustreVersionParser() {
    }

    static String parse(String path, String text) throws LustreParseException {
        TextLine first = TextLine.nonBlank(text).stream().findFirst()
                .orElseThrow(() -> new LustreParseException(path, 0, "empty file"));
        String v = first.text();
        if (v.startsWith("lustre:")) {
            v = v.substring("lustre:".length()).strip();
        }
        if (!VERSION.matcher(v).matches()) {
            throw LustreParseException.atLine(path, first.number(), first.raw(), "not a Lustre version");
        }
        return v;
    }
}
