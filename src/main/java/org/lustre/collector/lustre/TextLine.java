package org.lustre.collector.lustre;

import java.util.ArrayList;
import java.util.List;

/**
 * One non-blank line of a Lustre text file, as the line-oriented parsers walk it.
 *
 * @param number its 1-based number in the file, blank lines counted (for error messages)
 * @param raw    the line as read (error messages quote it)
 * @param text   the line stripped of surrounding white space
 */
record TextLine(int number, String raw, String text) {

    /** The non-blank lines of {@code text}, in order. */
    static List<TextLine> nonBlank(String text) {
        List<TextLine> out = new ArrayList<>();
        int number = 0;
        for (String raw : (Iterable<String>) text.lines()::iterator) {
            number++;
            String stripped = raw.strip();
            if (!stripped.isEmpty()) {
                out.add(new TextLine(number, raw, stripped));
            }
        }
        return out;
    }
}
