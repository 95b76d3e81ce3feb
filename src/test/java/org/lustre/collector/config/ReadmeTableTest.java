package org.lustre.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The README's option table is the option table: same rows, same order, same defaults. */
class ReadmeTableTest {

    @Test
    void readmeRowsMatchTheOptionTable() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.startsWith("| ") && l.split("\\|").length == 6 && !l.startsWith("| name"))
                .filter(l -> Option.byLongName(l.split("\\|")[1].trim()) != null)
                .toList();
        Option[] options = Option.values();
        assertEquals(options.length, rows.size(), "one README row per option");
        for (int i = 0; i < options.length; i++) {
            Option o = options[i];
            String expected = "| " + o.longName() + " | " + (o.shortName() == null ? "" : o.shortName()) + " | "
                    + typeName(o) + " | " + o.defaultText() + " | " + o.description() + " |";
            assertEquals(expected, rows.get(i));
        }
    }

    @Test
    void helpShowsEveryDefault() {
        // the help formatter wraps lines: compare with white space folded
        String help = CommandLineOptions.help().replaceAll("\\s+", " ");
        for (Option o : Option.values()) {
            if (!o.defaultText().isEmpty() && !o.type().isFlag()) {
                assertTrue(help.contains("(default " + o.defaultText() + ")"), o.longName());
            }
        }
    }

    /** The type as the README's table names it. */
    private static String typeName(Option o) {
        return o.type() == OptionType.CIDR_LIST ? "CIDR list" : o.type().name().toLowerCase(Locale.ROOT);
    }
}
