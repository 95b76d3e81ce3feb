package org.lustre.collector.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.lustre.collector.trap.Category;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Prints delivered traps and gaps as text lines (optionally with ANSI colours) or as one JSON
 * object per line. The calling thread only.
 */
final class TrapPrinter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final String RESET = "\u001b[0m";
    private static final String[] COLOURS = {"\u001b[36m", "\u001b[33m", "\u001b[31m", "\u001b[1;37;41m"};

    private final PrintStream out;
    private final boolean json;
    private final boolean colour;
    private final ZoneId zone;
    private final boolean severalCollectors;
    private final JsonFactory jsonFactory = new JsonFactory();

    TrapPrinter(PrintStream out, boolean json, boolean colour, ZoneId zone, boolean severalCollectors) {
        this.out = out;
        this.json = json;
        this.colour = colour && !json;
        this.zone = zone;
        this.severalCollectors = severalCollectors;
    }

    void trap(TrapFollower.Delivered d) {
        RemoteTrap t = d.trap();
        if (json) {
            out.println(json(g -> {
                g.writeStringField("type", "trap");
                g.writeStringField("id", t.id());
                g.writeStringField("when", iso(t.when()));
                g.writeNumberField("time", t.time());
                g.writeNumberField("eventTime", t.eventTime());
                g.writeStringField("category", label(t.category()));
                g.writeNumberField("categoryCode", t.category());
                g.writeStringField("fs", t.fs());
                g.writeStringField("node", t.node());
                g.writeStringField("message", t.message());
                g.writeNumberField("count", t.count());
                g.writeStringField("source", t.source());
                g.writeStringField("collector", d.source());
            }));
            return;
        }
        StringBuilder b = new StringBuilder(128);
        b.append(iso(t.when())).append(' ');
        String cat = String.format("%-8s", label(t.category()));
        if (colour && t.category() >= 0 && t.category() < COLOURS.length) {
            b.append(COLOURS[t.category()]).append(cat).append(RESET);
        } else {
            b.append(cat);
        }
        b.append(' ').append(t.fs().isEmpty() ? "-" : t.fs())
                .append(' ').append(t.node().isEmpty() ? "-" : t.node())
                .append(' ').append(t.message());
        if (t.count() > 1) {
            b.append(" (x").append(t.count()).append(')');
        }
        out.println(b);
    }

    void gap(TrapFollower.Gap gap) {
        if (json) {
            out.println(json(g -> {
                g.writeStringField("type", "gap");
                g.writeStringField("collector", gap.source());
                g.writeNumberField("missed", gap.missed());
                g.writeBooleanField("afterRestart", gap.afterRestart());
            }));
            return;
        }
        if (gap.afterRestart()) {
            out.println("-- " + gap.source() + " restarted: " + gap.missed()
                    + " traps left its store before we read them (older ones may have been shown before) --");
        } else {
            out.println("-- " + gap.missed() + " traps missed on " + gap.source()
                    + (severalCollectors ? " (another collector may have had them)" : "") + " --");
        }
    }

    String iso(long epochSeconds) {
        return TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
    }

    static String label(int category) {
        return category >= 0 && category <= 3 ? Category.ofCode(category).label() : "Cat" + category;
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private String json(Fields fields) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = jsonFactory.createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }
}
