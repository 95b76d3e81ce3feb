package org.lustre.collector.source;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How a {@link FileFollower} waits: for a change in the followed path's directory (a
 * {@link WatchService}, inotify on Linux) or the re-check period, whichever comes first: inotify
 * can miss events (queue overflow, the directory being replaced, file systems without it).
 *
 * <p>{@link #await} runs on one thread at a time (the source thread, or the FIFO guard while the
 * source thread is blocked in a read); {@link #close} from any thread.
 */
final class DirectoryWatch {
    private static final Logger LOG = LogManager.getLogger(DirectoryWatch.class);

    private final Path path;
    private final long recheckMillis;
    private volatile boolean closed;
    private volatile WatchService watch;
    private WatchKey watchKey;

    DirectoryWatch(Path path, long recheckMillis) {
        this.path = path;
        this.recheckMillis = recheckMillis;
    }

    /** Waits for a change in the parent directory or the re-check period, whichever first. */
    void await() {
        try {
            WatchService ws = watchService();
            if (ws == null) {
                sleep(recheckMillis);
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
            // close() was called: the follower sees it is stopped
        }
    }

    /** Sleeps {@code millis}, interruptibly (the interrupt is kept for the caller's loop). */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private WatchService watchService() {
        if (closed) {
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

    /** Wakes a waiting {@link #await} and releases the watch. Any thread. */
    void close() {
        closed = true;
        WatchService ws = watch;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.debug("closing the watch of {}: {}", path, e.toString());
            }
        }
    }
}
