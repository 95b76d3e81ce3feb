package org.lustre.collector.source;

import java.nio.file.Path;

import org.lustre.collector.trap.TrapEvent;

/**
 * Follows the trap file (config {@code trap-file}) and hands each trap to the sink
 * (docs/design.md, "The data path"). {@link FileFollower} does the reading: a regular file from
 * its beginning, then like {@code tail -F}; a FIFO or character device with blocking reads.
 *
 * <p>The lines already there at start are history ({@link TrapSink#replay}): a restarted collector
 * rebuilds its traps from them, and the ids let the store drop a trap read twice. A line that does
 * not parse ({@link TrapLineParser}) is counted in the health and skipped; no input stops the source.
 *
 * <p>Threads: {@link #start()} spawns one daemon thread, "trapfile-follower", which alone reads
 * and calls the sink. {@link #close()} may be called from any thread and stops it promptly.
 */
public final class TrapFileSource implements AutoCloseable {
    private final TrapSink sink;
    private final SourceHealth health;
    private final FileFollower follower;

    public TrapFileSource(Path path, TrapSink sink, SourceHealth health) {
        this(path, sink, health, FileFollower.RECHECK_MILLIS);
    }

    TrapFileSource(Path path, TrapSink sink, SourceHealth health, long recheckMillis) {
        this.sink = sink;
        this.health = health;
        this.follower = new FileFollower(path, health, this::onLine, recheckMillis);
    }

    /** Spawns the follower thread. Call once. */
    public void start() {
        follower.start("trapfile-follower", this::run);
    }

    private void run() {
        follower.run("trap file", follower::readSpecialLines, e -> null);
    }

    private void onLine(String line, boolean history) {
        TrapEvent event;
        try {
            event = TrapLineParser.parse(line);
        } catch (SourceParseException e) {
            health.parseError(line, e.reason());
            return;
        }
        if (event == null) {
            return;
        }
        if (history) {
            sink.replay(event);
        } else {
            sink.submit(event);
        }
    }

    /** True while the follower thread runs (tests check that close() ended it). */
    boolean running() {
        return follower.running();
    }

    /** Stops the follower thread and waits briefly for it. Any thread; idempotent. */
    @Override
    public void close() {
        follower.close();
        follower.stopThread();
    }
}
