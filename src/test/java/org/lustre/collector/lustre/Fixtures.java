package org.lustre.collector.lustre;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Access to the copied real fixtures (read from the source tree so the 2.10 symlink stays a symlink). */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/fixtures/lustre");
    static final Path HPE = ROOT.resolve("hpe-2.10.1");
    static final String HPE_OSP = "proc/fs/lustre/osp/lustrefs-OST000%d-osc-MDT0000/";
    /** The LLNL 2.12.9 DNE tree: 16 MDTs, 4 OSTs, no target_obd, no OSP import/state/active. */
    static final Path LLNL = ROOT.resolve("llnl-2.12.9");

    static String llnl(String rel) {
        return read(LLNL.resolve(rel));
    }

    /** The one number of a file of the LLNL tree. */
    static long llnlNumber(String rel) {
        return Long.parseLong(llnl(rel).strip());
    }
    private static final Pattern PARAM = Pattern.compile("^[A-Za-z0-9_.@:*-]+=");

    private Fixtures() {
    }

    static String hpe(String rel) {
        return read(HPE.resolve(rel));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The parameters of an {@code lctl get_param} dump: name to value, where a value runs over the
     * following lines that do not start a new {@code name=} (as multi-line values print).
     */
    static Map<String, String> params(String file) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        List<String> value = new ArrayList<>();
        for (String line : read(ROOT.resolve("lctl-get_param").resolve(file)).split("\n", -1)) {
            if (PARAM.matcher(line).find()) {
                if (name != null) {
                    out.put(name, String.join("\n", value) + "\n");
                }
                int eq = line.indexOf('=');
                name = line.substring(0, eq);
                value = new ArrayList<>();
                if (eq + 1 < line.length()) {
                    value.add(line.substring(eq + 1));
                }
            } else if (name != null && !line.isEmpty()) {
                value.add(line);
            }
        }
        if (name != null) {
            out.put(name, String.join("\n", value) + "\n");
        }
        return out;
    }

    /** Writes a file (creating parent directories) under a test tree. */
    static void put(Path root, String rel, String content) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
