package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code lod/<fs>-MDTxxxx-mdtlov/target_obd}: the OSTs of a file system as the MDT's LOD
 * sees them, one line {@code "%d: %s %sACTIVE"} each, for example
 * {@code 3: lustrefs-OST0003_UUID INACTIVE}. proc ({@code proc/fs/lustre/lod/}) in 2.10 to 2.17.0
 * and debugfs ({@code sys/kernel/debug/lustre/lod/}) from 2.17 on (LU-11850).
 *
 * <p>An empty file is valid (a file system with no OST yet) and gives an empty list; blank lines
 * are skipped. Stateless; any thread.
 */
final class TargetObdParser {
    private static final Pattern LINE = Pattern.compile("(\\d+): (\\S+) (IN)?ACTIVE");

    /** One line of target_obd. */
    record Target(int index, String uuid, boolean active) {
        /** The target name: the uuid without its {@code _UUID} suffix. */
        String name() {
            return uuid.endsWith("_UUID") ? uuid.substring(0, uuid.length() - 5) : uuid;
        }
    }

    private TargetObdParser() {
    }

    static List<Target> parse(String path, String text) throws LustreParseException {
        List<Target> out = new ArrayList<>();
        for (TextLine t : TextLine.nonBlank(text)) {
            int lineNo = t.number();
            String line = t.raw();
            String l = t.text();
            Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw LustreParseException.atLine(path, lineNo, line, "want \"<index>: <uuid> ACTIVE|INACTIVE\"");
            }
            int index;
            try {
                index = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw LustreParseException.atLine(path, lineNo, line, "index out of range");
            }
            out.add(new Target(index, m.group(2), m.group(3) == null));
        }
        return List.copyOf(out);
    }
}
