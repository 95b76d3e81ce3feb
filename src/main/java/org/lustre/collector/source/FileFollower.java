package org.lustre.collector.source;

import org.lustre.collector.Threads;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Follows one path like {@code tail -F} and hands over each complete line, saying whether it is
 * history: a line that was already in the file when the follower first opened it.
 *
 * <p>A regular file is read from its beginning, then as it grows. Truncation (the file got shorter
 * than what was read) restarts at 0 and forgets a held partial line. So does a rewrite: before
 * reading on, the last bytes read are read again and compared ({@link Fingerprint}); when they
 * changed, the file was truncated and refilled with as many bytes or more before we looked, and
 * reading on from the old offset would lose its first lines and parse half a line. Both are
 * logged. Rotation (the path now names another file: its {@code fileKey}, i.e. device and inode,
 * changed) finishes the old file first, held partial line included, then opens the new one at 0.
 * While the path is missing (between the rename and the creation of a new file) the old file
 * stays open and is still read, so lines its writer adds late are not lost; with no file at all,
 * health says "waiting for PATH" until it appears. It waits for changes through a
 * {@link DirectoryWatch}.
 *
 * <p>A path that is not a regular file makes {@link #follow()} return true; the caller decides
 * how to read it ({@link #readSpecialLines()} for FIFOs and devices read as lines). A FIFO
 * replaced at the path is noticed ({@link #guard}), and {@link #run} follows what is there now.
 *
 * <p>Errors (permission denied, a failed read) are reported in the health and retried with a
 * growing pause ({@link #backoff()}); the health says "ok" again (and logs one line) once the
 * path opens.
 *
 * <p>Thread contract: {@link #follow()} and {@link #readSpecialLines()} run on the owning source
 * thread only; {@link #close()} may be called from any thread and makes them return promptly.
 */
final class FileFollower implements Closeable {
    private static final Logger LOG = LogManager.getLogger(FileFollower.class);

    /** Fallback re-check when inotify says nothing (it can miss events). */
    static final long RECHECK_MILLIS = 1_000;
    /** The longest wait between retries after errors, in re-check periods. */
    static final int MAX_BACKOFF_FACTOR = 16;

    /** Reads a path that is not a regular file (a FIFO or a device), on the source's thread. */
    interface SpecialReader {
        void read() throws IOException;
    }

    private final Path path;
    /** The path as the configuration gave it, for the health messages of {@link #run}. */
    private final Path given;
    private final SourceHealth health;
    /** Gets each complete line, and whether it is history (was in the file when first opened). */
    private final BiConsumer<String, Boolean> handler;
    private final long recheckMillis;
    private final LineSplitter splitter = new LineSplitter();
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    /** The last bytes read before {@link #position}. */
    private final Fingerprint fingerprint = new Fingerprint();
    private final DirectoryWatch watch;

    private volatile boolean stopped;
    private volatile FileChannel channel;
    private Object fileKey;
    private long position;
    /**
     * End of the backlog: the size of the first file opened, when it was opened; -1 once it is read,
     * or was never there (the path was absent, or not a regular file, at start).
     */
    private long backlogEnd = -2;
    /** Whether the lines being handed over lie in the backlog. */
    private boolean emittingHistory;
    /** Consecutive errors in {@link #run}, for the backoff; reset when the path opens. */
    private int failures;
    /** Set by the FIFO guard when the path names another file: the read it ends is no error. */
    private volatile boolean replaced;
    /** The source's thread, which alone calls {@link #run}; null until {@link #start}. */
    private volatile Thread thread;

    FileFollower(Path path, SourceHealth health, BiConsumer<String, Boolean> handler, long recheckMillis) {
        this.path = path.toAbsolutePath();
        this.given = path;
        this.health = health;
        this.handler = handler;
        this.recheckMillis = recheckMillis;
        this.watch = new DirectoryWatch(this.path, recheckMillis);
    }

    boolean stopped() {
        return stopped || Thread.currentThread().isInterrupted();
    }

    /**
     * Follows the path as a regular file until closed. State (open file, position, held partial
     * line) survives an exception, so calling again resumes where it stopped.
     *
     * @return true when the path exists and is not a regular file (a FIFO, device or socket);
     *         false when closed (or the thread interrupted)
     * @throws AccessDeniedException when the file cannot be opened for reading
     * @throws IOException on other read errors; the caller reports it, waits and calls again
     */
    boolean follow() throws IOException {
        while (!stopped()) {
            try {
                if (channel == null) {
                    BasicFileAttributes a = attributes();
                    if ((a == null || !a.isRegularFile()) && backlogEnd == -2) {
                        backlogEnd = -1; // only a file there at start has a backlog
                    }
                    if (a == null) {
                        health.error("waiting for " + path);
                        watch.await();
                        continue;
                    }
                    if (a.isDirectory()) {
                        health.error(path + " is a directory, not a trap stream");
                        watch.await();
                        continue;
                    }
                    if (!a.isRegularFile()) {
                        return true;
                    }
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                    fileKey = a.fileKey();
                    backlogEnd = backlogEnd == -2 ? channel.size() : -1;
                    restart();
                    opened("following " + path);
                }
                if (!sameContent()) {
                    continue;
                }
                drain();
                BasicFileAttributes a = attributes();
                if (a == null) {
                    // Renamed away or deleted: keep reading the open file until a new one appears.
                    watch.await();
                    continue;
                }
                if (!a.isRegularFile() || (a.fileKey() != null && !a.fileKey().equals(fileKey))) {
                    drain(); // the old file's last lines, written before the switch was seen
                    emittingHistory = false;
                    splitter.flush(this::emit);
                    LOG.info("{} was replaced (rotated): switching to the new file", path);
                    closeChannel();
                    continue;
                }
                long size = channel.size();
                if (size == position) {
                    watch.await();
                }
            } catch (IOException e) {
                if (stopped()) {
                    break; // close() closed the channel or watch under us
                }
                throw e;
            }
        }
        return false;
    }

    /**
     * Reads a FIFO or character device with blocking reads, line by line, until EOF, close, or (a
     * FIFO) the path naming another file ({@link #guard}). A FIFO is opened read-write when allowed:
     * on Linux that open does not block waiting for a writer and reads never see EOF when writers
     * come and go. Without write permission it is opened read-only; EOF (the last writer closed)
     * then returns, and the caller opens it again (an unfinished last line is handed over: its
     * writer is gone).
     */
    void readSpecialLines() throws IOException {
        FileChannel ch;
        boolean fifo = isFifo();
        BasicFileAttributes before = attributes();
        if (fifo) {
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                ch = FileChannel.open(path, StandardOpenOption.READ); // blocks until a writer opens
            }
        } else {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        }
        BasicFileAttributes after = attributes();
        Object key = after == null ? null : after.fileKey();
        if (before == null || after == null || (key != null && !key.equals(before.fileKey()))) {
            ch.close(); // gone or replaced while we opened it: look again
            return;
        }
        channel = ch;
        splitter.reset();
        emittingHistory = false;
        replaced = false;
        opened("reading " + (fifo ? "FIFO " : "device ") + path);
        FileChannel reading = ch;
        // without file keys (not on Linux) a replaced FIFO cannot be told: no guard
        Thread guard = fifo && key != null
                ? startDaemon(Thread.currentThread().getName() + "-guard", () -> guard(key, reading)) : null;
        try {
            while (!stopped()) {
                buf.clear();
                int n = reading.read(buf);
                if (n < 0) {
                    splitter.flush(this::emit);
                    break;
                }
                buf.flip();
                splitter.feed(buf, this::emit);
            }
        } catch (IOException e) {
            if (!stopped() && !replaced) {
                throw e;
            }
        } finally {
            stopDaemon(guard, path);
            closeChannel();
        }
        if (replaced && !stopped()) {
            splitter.flush(this::emit); // its writer is gone with it
            LOG.info("{} was replaced: following the new file", path);
            return;
        }
        if (!stopped()) {
            pause(); // EOF: do not spin on a device that keeps answering EOF
        }
    }

    /**
     * The FIFO guard's loop: waits for changes and closes {@code ch}, ending the blocked read, once
     * the path names a file other than {@code key}. A read blocks only on an empty pipe, so no line
     * written to the old FIFO is lost. A path that is gone (unlinked, not replaced yet) keeps the
     * FIFO read: writers that have it open may still write. Ends when interrupted.
     */
    private void guard(Object key, FileChannel ch) {
        while (!stopped()) {
            watch.await();
            BasicFileAttributes a;
            try {
                a = attributes();
            } catch (IOException e) {
                continue;
            }
            if (a != null && !key.equals(a.fileKey())) {
                replaced = true;
                closeQuietly(ch, path); // ends the blocked read on the source thread
                return;
            }
        }
    }

    /**
     * The loop each source runs on its thread until closed: {@link #follow()}, and a path that is
     * not a regular file through {@code special}. A read error is reported in the health and
     * retried with a growing pause ({@link #backoff()}); so is a bug (RuntimeException), so no
     * input ends a source. Closes this follower when it returns.
     *
     * @param what    names the source in the log ("trap file", "kernel log")
     * @param explain the health message for an error, or null for the default one
     */
    void run(String what, SpecialReader special, Function<IOException, String> explain) {
        try {
            while (!stopped()) {
                try {
                    if (follow()) {
                        special.read();
                    }
                } catch (IOException e) {
                    if (stopped()) {
                        return; // closing woke a blocked read: not an error
                    }
                    String why = explain.apply(e);
                    if (why == null) {
                        why = e instanceof AccessDeniedException ? "permission denied on " + given
                                : "cannot read " + given + ": " + e.getMessage();
                    }
                    health.error(why);
                    backoff();
                } catch (RuntimeException e) {
                    LOG.error("{} follower for {} failed; retrying", what, given, e);
                    health.error("internal error: " + e);
                    backoff();
                }
            }
        } finally {
            close();
        }
    }

    /** Sleeps the re-check period (interruptible). */
    void pause() {
        DirectoryWatch.sleep(recheckMillis);
    }

    /**
     * Sleeps after an error: the re-check period after the first, twice as long after each further
     * one in a row, at most {@link #MAX_BACKOFF_FACTOR} periods, so a path that stays broken (no
     * permission) costs an open attempt every few seconds rather than every second.
     */
    void backoff() {
        int doublings = Math.min(failures, Integer.numberOfTrailingZeros(MAX_BACKOFF_FACTOR));
        failures++;
        DirectoryWatch.sleep(recheckMillis << doublings);
    }

    /** The path opened: health ok (logged once when it was in error), and the backoff starts over. */
    void opened(String why) {
        failures = 0;
        health.ok(why);
    }

    /**
     * Reads from {@link #position} to the end. The backlog is read up to its end first, on its own,
     * so that the lines completed within it, and only those, are handed over as history.
     */
    private void drain() throws IOException {
        FileChannel ch = channel;
        while (ch != null && !stopped()) {
            buf.clear();
            emittingHistory = position < backlogEnd;
            if (emittingHistory) {
                buf.limit((int) Math.min(buf.capacity(), backlogEnd - position));
            }
            int n = ch.read(buf, position);
            if (n <= 0) {
                return;
            }
            position += n;
            if (position >= backlogEnd) {
                backlogEnd = -1;
            }
            buf.flip();
            fingerprint.remember(buf);
            splitter.feed(buf, this::emit);
        }
    }

    /**
     * True when the file still holds what was read: not shorter than the read offset, and the last
     * bytes before it unchanged. Else the file was truncated (and perhaps refilled before we looked):
     * logs it and starts over at 0.
     */
    private boolean sameContent() throws IOException {
        long size = channel.size();
        if (size < position) {
            LOG.info("{} was truncated ({} -> {} bytes): reading again from the start", path, position, size);
            restart();
            return false;
        }
        if (fingerprint.matches(channel, position)) {
            return true;
        }
        LOG.info("{} was rewritten (the {} bytes before offset {} changed: truncated and refilled): reading again "
                + "from the start", path, fingerprint.length(), position);
        restart();
        return false;
    }

    /** Reading starts over at the beginning of the file: nothing read is kept, and no more backlog. */
    private void restart() {
        if (position > 0) {
            backlogEnd = -1;
        }
        position = 0;
        fingerprint.reset();
        splitter.reset();
    }

    private void emit(String line) {
        handler.accept(line, emittingHistory);
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            if (e instanceof AccessDeniedException) {
                throw e;
            }
            return null; // e.g. a path component is not a directory: treat as absent
        }
    }

    private boolean isFifo() {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0010000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private void closeChannel() {
        FileChannel ch = channel;
        channel = null;
        closeQuietly(ch, path);
    }

    /** Closes {@code ch} (null: nothing to close); a failure is only logged, at debug. */
    static void closeQuietly(FileChannel ch, Path path) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
        }
    }

    /** Makes {@link #follow()} and {@link #readSpecialLines()} return promptly. Any thread. */
    @Override
    public void close() {
        stopped = true;
        watch.close();
        // wakes a blocked read; the owning thread sees stopped and returns (and clears channel)
        closeQuietly(channel, path);
    }

    /** Spawns the source's thread {@code name}, which runs {@code body}. Call once. */
    synchronized void start(String name, Runnable body) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = startDaemon(name, body);
    }

    /** True while the source's thread runs (tests check that closing ended it). */
    boolean running() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** After {@link #close()}: interrupts the source's thread and waits up to 2 s for it. Any thread. */
    void stopThread() {
        stopDaemon(thread, path);
    }

    /** Starts a named daemon thread, so it never keeps the JVM alive. */
    private static Thread startDaemon(String name, Runnable body) {
        Thread t = Threads.daemon(body, name);
        t.start();
        return t;
    }

    /** Interrupts a thread (null: never started) and waits up to 2 s for it to end. Any thread. */
    private static void stopDaemon(Thread t, Path path) {
        if (!Threads.stop(t, 2_000)) {
            LOG.warn("{} for {} did not stop within 2 s", t.getName(), path);
        }
    }
}
