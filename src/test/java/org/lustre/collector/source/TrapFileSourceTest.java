package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lustre.collector.source.CollectingSink.awaitTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;

class TrapFileSourceTest {
    /** Short fallback re-check so a missed inotify event costs the test little; not asserted. */
    private static final long RECHECK = 200;

    @TempDir
    Path dir;

    private final CollectingSink sink = new CollectingSink();
    private TrapFileSource source;
    private SourceHealth health;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
            assertFalse(source.running(), "close() must end the follower thread");
        }
    }

    private static String line(String id) {
        return id + "\t1696590759.5\tWarning\tlustrefs\tlustrefs-OST0003\tmessage " + id + "\n";
    }

    private TrapFileSource start(Path file) {
        health = new SourceHealth("trapfile", file.toString());
        source = new TrapFileSource(file, sink, health, RECHECK);
        source.start();
        return source;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Appends a last line and waits for it, so every event before it is known to be in. */
    private List<String> sentinel(Path file, int expectedTotal) throws Exception {
        append(file, line("sentinel"));
        sink.awaitEvents(expectedTotal);
        return sink.ids();
    }

    @Test
    void readsFromTheStartThenFollowsAppendedLines() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("a1") + line("a2"));
        start(f);
        sink.awaitEvents(2);
        append(f, line("a3"));
        append(f, line("a4"));
        List<TrapEvent> events = sink.awaitEvents(4);
        assertEquals(List.of("a1", "a2", "a3", "a4"), sink.ids());
        TrapEvent e = events.get(0);
        assertEquals(new TrapEvent("a1", 1696590759500L, Category.WARNING, "lustrefs", "lustrefs-OST0003",
                "message a1", "trapfile"), e);
        assertEquals("ok", health.state());
    }

    @Test
    void partialLastLineIsHeldUntilCompleted() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("p1") + "p2\t1696590759\t2\tlustrefs\tlustrefs-OST0001\tfirst half");
        start(f);
        sink.awaitEvents(1); // p1 came in the same read as the half line, so the half has been seen
        append(f, " second half\n");
        List<String> ids = sentinel(f, 3);
        assertEquals(List.of("p1", "p2", "sentinel"), ids);
        assertEquals("first half second half", sink.events().get(1).message());
        assertEquals(0, health.parseErrors());
    }

    @Test
    void truncationRereadsFromStartWithoutDuplicates() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("old1") + line("old2") + line("old3"));
        start(f);
        sink.awaitEvents(3);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(f, line("t1")); // shorter than before: the follower sees size < position
        sink.awaitEvents(4);
        assertEquals(List.of("old1", "old2", "old3", "t1", "sentinel"), sentinel(f, 5));
    }

    @Test
    void rotationReadsTheOldTailThenTheNewFile() throws Exception {
        Path f = dir.resolve("traps");
        try (OutputStream writer = new FileOutputStream(f.toFile(), true)) {
            writer.write(line("r1").getBytes(StandardCharsets.UTF_8));
            writer.write(line("r2").getBytes(StandardCharsets.UTF_8));
            writer.flush();
            start(f);
            sink.awaitEvents(2);
            Files.move(f, dir.resolve("traps.1"));
            // The writer has not reopened yet: its last lines still go to the renamed file.
            writer.write(line("r3").getBytes(StandardCharsets.UTF_8));
            writer.flush();
        }
        append(f, line("n1") + line("n2"));
        sink.awaitEvents(5);
        assertEquals(List.of("r1", "r2", "r3", "n1", "n2", "sentinel"), sentinel(f, 6));
    }

    @Test
    void absentFileIsWaitedFor() throws Exception {
        Path f = dir.resolve("not-yet").resolve("traps"); // not even the directory exists
        start(f);
        awaitTrue(() -> "error".equals(health.state()), "health error while the file is absent");
        assertEquals("waiting for " + f.toAbsolutePath(), health.message());
        Files.createDirectories(f.getParent());
        append(f, line("late"));
        sink.awaitEvents(1);
        assertEquals(List.of("late"), sink.ids());
        assertEquals("ok", health.state());
    }

    @Test
    void badLinesAreCountedAndSkipped() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("g1")
                + "# a comment\n"
                + "\n"
                + "only\ttwo\n"
                + "b2\tnot-a-time\t0\tfs\tnode\tmsg\n"
                + "b3\t1696590759\tSevere\tfs\tnode\tmsg\n"
                + line("g2"));
        start(f);
        assertEquals(List.of("g1", "g2", "sentinel"), sentinel(f, 3));
        assertEquals(3, health.parseErrors());
        assertEquals("ok", health.state());
    }

    @Test
    void fifoIsReadAsWritersComeAndGo() throws Exception {
        Path fifo = dir.resolve("trap-fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
            return;
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mkfifo did not finish");
        Assumptions.assumeTrue(p.exitValue() == 0, "mkfifo failed");
        assertFalse(Files.isRegularFile(fifo));
        start(fifo);
        try (OutputStream w = new FileOutputStream(fifo.toFile())) {
            w.write((line("f1") + line("f2")).getBytes(StandardCharsets.UTF_8));
        }
        sink.awaitEvents(2);
        try (OutputStream w = new FileOutputStream(fifo.toFile())) { // a second writer, after the first closed
            w.write(line("f3").getBytes(StandardCharsets.UTF_8));
        }
        sink.awaitEvents(3);
        assertEquals(List.of("f1", "f2", "f3"), sink.ids());
        source.close();
        assertFalse(source.running(), "close() must unblock the read on the FIFO");
    }

    private static void mkfifo(Path fifo) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("mkfifo not available: " + e.getMessage());
            return;
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mkfifo did not finish");
        Assumptions.assumeTrue(p.exitValue() == 0, "mkfifo failed");
    }

    /**
     * Opens the FIFO read-write (on Linux that does not wait for a reader) and writes: the bytes wait
     * in the pipe until the source reads them. The caller closes it once they are read (closing the
     * last end of a pipe drops what it holds).
     */
    private static FileChannel writeFifo(Path fifo, String text) throws IOException {
        FileChannel w = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        w.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return w;
    }

    @Test
    void aFifoReplacedByANewFifoIsFollowed() throws Exception {
        Path fifo = dir.resolve("trap-fifo");
        mkfifo(fifo);
        start(fifo);
        try (FileChannel w = writeFifo(fifo, line("f1"))) {
            sink.awaitEvents(1);
        }
        Files.delete(fifo);
        mkfifo(fifo); // the writer's side made a new one: its traps go there
        try (FileChannel w = writeFifo(fifo, line("f2"))) {
            sink.awaitEvents(2);
        }
        assertEquals(List.of("f1", "f2"), sink.ids());
        assertEquals("ok", health.state());
    }

    @Test
    void aFifoReplacedByARegularFileIsFollowed() throws Exception {
        Path fifo = dir.resolve("trap-fifo");
        mkfifo(fifo);
        start(fifo);
        try (FileChannel w = writeFifo(fifo, line("f1"))) {
            sink.awaitEvents(1);
        }
        Path file = dir.resolve("traps.new");
        append(file, line("r1"));
        Files.move(file, fifo, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sink.awaitEvents(2);
        assertEquals(List.of("f1", "r1", "sentinel"), sentinel(fifo, 3));
        assertEquals("following " + fifo.toAbsolutePath(), health.message());
    }

    @Test
    void aTruncationRefilledWithMoreBytesBeforeWeLookIsNoticed() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("old1") + line("old2") + line("old3"));
        start(f);
        sink.awaitEvents(3);
        // Truncated and refilled with more bytes than were read, as the follower sees it when both
        // happen between two of its looks: one write over the start of the file, same inode.
        String refill = line("new1") + line("new2") + line("new3") + line("new4");
        assertTrue(refill.length() > Files.size(f));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(refill.getBytes(StandardCharsets.UTF_8)), 0);
        }
        assertEquals(List.of("old1", "old2", "old3", "new1", "new2", "new3", "new4", "sentinel"), sentinel(f, 8));
        assertEquals(0, health.parseErrors(), "no half line parsed");
    }

    @Test
    void permissionDeniedIsRetriedAndRecovers() throws Exception {
        Path content = dir.resolve("content");
        append(content, line("p1"));
        Path f = dir.resolve("traps");
        Unreadable.make(f, content);
        start(f);
        awaitTrue(() -> "error".equals(health.state()), "a health error");
        assertEquals("permission denied on " + f, health.message());
        Unreadable.fix(f, content);
        sink.awaitEvents(1);
        awaitTrue(() -> "ok".equals(health.state()), "health ok again");
        assertEquals(List.of("p1"), sink.ids());
    }

    @Test
    void linesThereAtStartAreHistoryLinesWrittenSinceAreNot() throws Exception {
        Path f = dir.resolve("traps");
        // the last line is not finished at start: completed later, it is new
        append(f, line("h1") + line("h2") + "h3\t1696590759\t1\tfs\tnode\tha");
        start(f);
        sink.awaitEvents(2);
        append(f, "lf\n" + line("n1"));
        sink.awaitEvents(4);
        assertEquals(List.of("h1", "h2", "h3", "n1"), sink.ids());
        assertEquals(List.of(true, true, false, false), sink.history());
    }

    @Test
    void longLinesAreStoredCutToTheMaximumMessageLength() throws Exception {
        // 60 lines of ~64 KiB of '&' (each escaped to 5 bytes in every answer) were stored whole.
        Path f = dir.resolve("traps");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("amp").append(i).append("\t1696590759\tWarning\tfs1\tfs1-OST").append(i).append('\t')
                    .append(i).append(' ').append("&".repeat(64 * 1024 - 100)).append('\n');
        }
        append(f, text.toString());
        TrapQueue queue = new TrapQueue(16);
        health = new SourceHealth("trapfile", f.toString());
        source = new TrapFileSource(f, queue, health, RECHECK);
        source.start();
        List<TrapEvent> traps = new java.util.ArrayList<>();
        awaitTrue(() -> {
            queue.drainTo(item -> traps.add(((TrapQueue.Event) item).event()), 100);
            return traps.size() >= 60;
        }, "60 traps");
        assertEquals(60, traps.size());
        long bytes = 0;
        for (TrapEvent t : traps) {
            int n = t.message().getBytes(StandardCharsets.UTF_8).length;
            assertTrue(n <= TrapEvent.MAX_MESSAGE_BYTES, "message of " + n + " bytes");
            assertTrue(t.message().endsWith(" bytes]"), "says it was cut");
            bytes += n;
        }
        assertTrue(bytes <= 60L * TrapEvent.MAX_MESSAGE_BYTES);
    }
}
