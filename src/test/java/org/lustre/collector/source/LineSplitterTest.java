package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final LineSplitter splitter = new LineSplitter();

    private void feed(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        splitter.feed(buf, lines::add);
        assertFalse(buf.hasRemaining());
    }

    private void feed(String s) {
        feed(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesSplitAcrossBuffersAreHeldUntilComplete() {
        feed("one\ntw");
        assertEquals(List.of("one"), lines);
        assertTrue(splitter.hasPartial());
        feed("o\nthr");
        feed("ee\n");
        assertEquals(List.of("one", "two", "three"), lines);
        assertFalse(splitter.hasPartial());
    }

    @Test
    void crlfLosesTheCrEvenWhenTheLfComesInTheNextBuffer() {
        feed("a\r\nb\r");
        feed("\n\rc\r\r\n");
        // only the one CR before the LF goes
        assertEquals(List.of("a", "b", "\rc\r"), lines);
    }

    @Test
    void multiByteCharacterSplitAcrossBuffersComesOutWhole() {
        byte[] b = "ä✓𝄞\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            feed(new byte[] {b[i]});
        }
        assertEquals(List.of("ä✓𝄞"), lines);
    }

    @Test
    void overLongLineIsCutAtMaxLineAndTheRestDiscarded() {
        String longLine = "x".repeat(LineSplitter.MAX_LINE + 10);
        feed(longLine.substring(0, 1000));
        feed(longLine.substring(1000) + "\nnext\n");
        assertEquals(List.of("x".repeat(LineSplitter.MAX_LINE), "next"), lines);
        lines.clear();
        feed("y".repeat(LineSplitter.MAX_LINE) + "\n");
        assertEquals(List.of("y".repeat(LineSplitter.MAX_LINE)), lines);
    }

    @Test
    void flushHandsOverTheUnfinishedLineAndResetForgetsIt() {
        feed("half");
        splitter.flush(lines::add);
        assertEquals(List.of("half"), lines);
        assertFalse(splitter.hasPartial());
        feed("gone");
        splitter.reset();
        feed("kept\n");
        assertEquals(List.of("half", "kept"), lines);
    }

    @Test
    void directAndSlicedBuffersWork() {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put("d1\nd2".getBytes(StandardCharsets.UTF_8)).flip();
        splitter.feed(direct, lines::add);
        ByteBuffer sliced = ByteBuffer.wrap("XX\nd3\nYY".getBytes(StandardCharsets.UTF_8), 2, 4).slice();
        splitter.feed(sliced, lines::add);
        assertEquals(List.of("d1", "d2", "d3"), lines);
        assertFalse(direct.hasRemaining());
        assertFalse(sliced.hasRemaining());
    }

    /**
     * Random streams (ASCII, CR, LF, multi-byte and invalid UTF-8, lines around MAX_LINE) cut into
     * random buffers of every kind, with flush, reset and hasPartial in between, against the
     * byte-at-a-time splitter this one replaced.
     */
    @Test
    void matchesTheByteAtATimeReference() {
        Random rnd = new Random(11);
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "trap line".getBytes(StandardCharsets.UTF_8),
            {'\n'}, {'\n'}, {'\r'}, {'\r', '\n'}, "ä✓𝄞".getBytes(StandardCharsets.UTF_8), {(byte) 0xE2},
            {(byte) 0x82}, {(byte) 0xFF}};
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int k = rnd.nextInt(200); k > 0; k--) {
                if (rnd.nextInt(60) == 0) {
                    int n = LineSplitter.MAX_LINE - 3 + rnd.nextInt(6) + (rnd.nextBoolean() ? 0 : rnd.nextInt(70_000));
                    stream.write(new byte[n], 0, n);
                } else {
                    byte[] p = pieces[rnd.nextInt(pieces.length)];
                    stream.write(p, 0, p.length);
                }
            }
            byte[] all = stream.toByteArray();
            List<String> want = new ArrayList<>();
            List<String> got = new ArrayList<>();
            Reference reference = new Reference();
            LineSplitter split = new LineSplitter();
            for (int at = 0; at < all.length; ) {
                int n = Math.min(all.length - at, rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4) : 1 + rnd.nextInt(100_000));
                reference.feed(ByteBuffer.wrap(all, at, n), want::add);
                split.feed(buffer(rnd, all, at, n), got::add);
                at += n;
                assertEquals(reference.hasPartial(), split.hasPartial(), "round " + round + " at " + at);
                switch (rnd.nextInt(40)) {
                    case 0 -> {
                        reference.flush(want::add);
                        split.flush(got::add);
                    }
                    case 1 -> {
                        reference.reset();
                        split.reset();
                    }
                    default -> {
                    }
                }
            }
            reference.flush(want::add);
            split.flush(got::add);
            assertEquals(want, got, "round " + round);
        }
    }

    private static ByteBuffer buffer(Random rnd, byte[] all, int at, int n) {
        switch (rnd.nextInt(3)) {
            case 0 -> {
                return ByteBuffer.wrap(all, at, n);
            }
            case 1 -> {
                ByteBuffer d = ByteBuffer.allocateDirect(n);
                d.put(all, at, n).flip();
                return d;
            }
            default -> {
                return ByteBuffer.wrap(all, at, n).slice().asReadOnlyBuffer();
            }
        }
    }

    /** LineSplitter as it was before it scanned arrays (the reference). */
    private static final class Reference {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(256);
        private boolean discarding;

        void feed(ByteBuffer buf, Consumer<String> handler) {
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    String line = discarding ? null : decode();
                    pending.reset();
                    discarding = false;
                    if (line != null) {
                        handler.accept(line);
                    }
                } else if (pending.size() < LineSplitter.MAX_LINE) {
                    pending.write(b);
                } else if (!discarding) {
                    discarding = true;
                    String line = decode();
                    pending.reset();
                    handler.accept(line);
                }
            }
        }

        boolean hasPartial() {
            return pending.size() > 0;
        }

        void flush(Consumer<String> handler) {
            if (pending.size() > 0 && !discarding) {
                String line = decode();
                pending.reset();
                handler.accept(line);
            }
            reset();
        }

        void reset() {
            pending.reset();
            discarding = false;
        }

        private String decode() {
            String s = pending.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
