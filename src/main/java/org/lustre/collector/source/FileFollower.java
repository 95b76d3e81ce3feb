package org.lustre.collector.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

import java.util.function.Function;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Follows one path like {@code tail -F} and hands over each complete line with its line number in
 * the current file.
 *
 * <p>A regular file is read from its beginning, then as it grows. Truncation (the file got shorter
 * than what was read) restarts at 0 and forgets a held partial line. Rotation (the path now names
 * another file: its {@code fileKey}, i.e. device and inode, changed) finishes the old file first,
 * held partial line included, then opens the new one at 0. While the path is missing (between the
 * rename and the creation of a new file) the old file stays open and is still read, so lines its
 * writer adds late are not lost; with no file at all, health says "waiting for PATH" until it
 * appears. Wake-ups come from a {@link WatchService} (inotify on Linux) on the parent directory,
 * plus a timed re-check every {@code recheckMillis} because inotify can miss events (queue
 * overflow, the directory being replaced, file systems without it): no busy polling.
 *
 * <p>A path that is not a regular file makes {@link #follow()} return {@link Outcome#SPECIAL}; the
 * caller decides how to read it ({@link #readSpecialLines()} for FIFOs and devices read as lines).
 *
 * <p>Limit: when a file is deleted and a new one created with the same inode number and a size
 * at least what was read, the replacement looks like the same file and its first bytes are missed.
 *
 * <p>Thread contract: {@link #follow()} and {@link #readSpecialLines()} run on the owning source
 * thread only; {@link #close()} may be called from any thread and makes them return promptly.
 */
final class FileFollower implements Closeable {
    private static final Logger LOG = LogManager.getLogger(FileFollower.class);

    /** Why {@link #follow()} returned. */
    enum Outcome {
        /** {@link #close()} was called (or the thread interrupted). */
        STOPPED,
        /** The path exists and is not a regular file: a FIFO, device or socket. */
        SPECIAL
    }

    /** Receives each complete line and its 1-based number in the file it came from. */
    interface Handler {
        void line(String line, long lineNumber);
    }

    /** Reads a path that is not a regular file (a FIFO or a device), on the source's thread. */
    interface SpecialReader {
        void read() throws IOException;
    }

    private final Path path;
    /** The path as the configuration gave it, for the health messages of {@link #run}. */
    private final Path given;
    private final SourceHealth health;
    private final Handler handler;
    private final long recheckMillis;
    private final LineSplitter splitter = new LineSplitter();
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

    private volatile boolean stopped;
    private volatile FileChannel channel;
    private volatile WatchService watch;
    private WatchKey watchKey;
    private Object fileKey;
    private long position;
    private long lineNumber;

    FileFollower(Path path, SourceHealth health, Handler handler, long recheckMillis) {
        this.path = path.toAbsolutePath();
        this.given = path;
        this.health = health;
        this.handler = handler;
        this.recheckMillis = recheckMillis;
    }

    boolean stopped() {
        return stopped || Thread.currentThread().isInterrupted();
    }

    /**
     * Follows the path as a regular file until closed. State (open file, position, held partial
     * line) survives an exception, so calling again resumes where it stopped.
     *
     * @throws AccessDeniedException when the file cannot be opened for reading
     * @throws IOException on other read errors; the caller reports it, waits and calls again
     */
    Outcome follow() throws IOException {
        while (!stopped()) {
            try {
                if (channel == null) {
                    BasicFileAttributes a = attributes();
                    if (a == null) {
                        health.error("waiting for " + path);
                        waitForChange();
                        continue;
                    }
                    if (a.isDirectory()) {
                        health.error(path + " is a directory, not a trap stream");
                        waitForChange();
                        continue;
                    }
                    if (!a.isRegularFile()) {
                        return Outcome.SPECIAL;
                    }
                    channel = FileChannel.open(path, StandardOpenOption.READ);
                    fileKey = a.fileKey();
                    position = 0;
                    lineNumber = 0;
                    splitter.reset();
                    health.ok("following " + path);
                }
                drain();
                BasicFileAttributes a = attributes();
                if (a == null) {
                    // Renamed away or deleted: keep reading the open file until a new one appears.
                    waitForChange();
                    continue;
                }
                if (!a.isRegularFile() || (a.fileKey() != null && !a.fileKey().equals(fileKey))) {
                    drain(); // the old file's last lines, written before the switch was seen
                    splitter.flush(this::emit);
                    LOG.info("{} was replaced (rotated): switching to the new file", path);
                    closeChannel();
                    continue;
                }
                long size = channel.size();
                if (size < position) {
                    LOG.info("{} was truncated ({} -> {} bytes): reading again from the start", path, position, size);
                    position = 0;
                    lineNumber = 0;
                    splitter.reset();
                    continue;
                }
                if (size == position) {
                    waitForChange();
                }
            } catch (IOException e) {
                if (stopped()) {
                    break; // close() closed the channel or watch under us
                }
                throw e;
            }
        }
        return Outcome.STOPPED;
    }

    /**
     * Reads a FIFO or character device with blocking reads, line by line, until EOF or close.
     * A FIFO is opened read-write when allowed: on Linux that open does not block waiting for a
     * writer and reads never see EOF when writers come and go, so nothing needs reopening. Without
     * write permission it is opened read-only; EOF (the last writer closed) then returns, and the
     * caller opens it again (an unfinished last line is handed over: its writer is gone).
     */
    void readSpecialLines() throws IOException {
        FileChannel ch;
        boolean fifo = isFifo();
        if (fifo) {
            try {
                ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                ch = FileChannel.open(path, StandardOpenOption.READ); // blocks until a writer opens
            }
        } else {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        }
        channel = ch;
        lineNumber = 0;
        splitter.reset();
        health.ok("reading " + (fifo ? "FIFO " : "device ") + path);
        try {
            while (!stopped()) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    splitter.flush(this::emit);
                    break;
                }
                buf.flip();
                splitter.feed(buf, this::emit);
            }
        } catch (IOException e) {
            if (!stopped()) {
                throw e;
            }
        } finally {
            closeChannel();
        }
        if (!stopped()) {
            pause(); // EOF: do not spin on a device that keeps answering EOF
        }
    }

    /** Waits for a change in the parent directory or the re-check period, whichever first. */
    void waitForChange() {
        try {
            WatchService ws = watchService();
            if (ws == null) {
                pause();
                return;
            }
            WatchKey k = ws.poll(recheckMillis, TimeUnit.MILLISECONDS);
            while (k != null) {
                k.pollEvents();
                if (!k.reset() && k == watchKey) {
                    watchKey = null; // the directory went away: register again when it is back
                }
                k = ws.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // close() was called: follow() sees stopped
        }
    }

    /**
     * The loop each source runs on its thread until closed: {@link #follow()}, and a path that is
     * not a regular file through {@code special}. A read error is reported in the health and
     * retried after the re-check pause, unless {@code fatal} words it (non-null): then that is
     * reported and the loop ends. A bug (RuntimeException) is logged, reported and retried too, so
     * no input ends a source. Closes this follower when it returns.
     *
     * @param what names the source in the log ("trap file", "kernel log")
     */
    void run(String what, SpecialReader special, Function<IOException, String> fatal) {
        try {
            while (!stopped()) {
                try {
                    if (follow() == Outcome.SPECIAL) {
                        special.read();
                    }
                } catch (IOException e) {
                    if (stopped()) {
                        return; // closing woke a blocked read: not an error
                    }
                    String end = fatal.apply(e);
                    if (end != null) {
                        health.error(end);
                        return;
                    }
                    health.error(e instanceof AccessDeniedException ? "permission denied on " + given
                            : "cannot read " + given + ": " + e.getMessage());
                    pause();
                } catch (RuntimeException e) {
                    LOG.error("{} follower for {} failed; retrying", what, given, e);
                    health.error("internal error: " + e);
                    pause();
                }
            }
        } finally {
            close();
        }
    }

    /** Sleeps the re-check period (interruptible). */
    void pause() {
        try {
            Thread.sleep(recheckMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private WatchService watchService() {
        if (stopped) {
            return null;
        }
        try {
            if (watch == null) {
                watch = path.getFileSystem().newWatchService();
            }
            if (watchKey == null || !watchKey.isValid()) {
                Path dir = path.getParent();
                if (dir == null || !Files.isDirectory(dir)) {
                    return null;
                }
                watchKey = dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
            return watch;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no watch on the directory of {} ({}): timed re-check only", path, e.toString());
            return null;
        } catch (ClosedWatchServiceException e) {
            return null;
        }
    }

    private void drain() throws IOException {
        FileChannel ch = channel;
        while (ch != null && !stopped()) {
            buf.clear();
            int n = ch.read(buf, position);
            if (n <= 0) {
                return;
            }
            position += n;
            buf.flip();
            splitter.feed(buf, this::emit);
        }
    }

    private void emit(String line) {
        lineNumber++;
        handler.line(line, lineNumber);
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
        WatchService ws = watch;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.debug("closing the watch of {}: {}", path, e.toString());
            }
        }
        FileChannel ch = channel;
        if (ch != null) {
            try {
                ch.close(); // wakes a blocked read; the owning thread sees stopped and returns
            } catch (IOException e) {
                LOG.debug("closing {}: {}", path, e.toString());
            }
        }
    }

    /** Starts a source's follower thread: a named daemon, so it never keeps the JVM alive. */
    static Thread startDaemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Interrupts a source's thread (null: never started) and waits up to 2 s for it to end. Any thread. */
    static void stopDaemon(Thread t, Path path) {
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{} for {} did not stop within 2 s", t.getName(), path);
        }
    }
}
