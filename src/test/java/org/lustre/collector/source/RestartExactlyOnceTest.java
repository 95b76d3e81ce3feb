package org.lustre.collector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lustre.collector.source.CollectingSink.awaitTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.service.Collector;
import org.lustre.collector.trap.Trap;
import org.lustre.collector.trap.TrapStore;

/**
 * getTraps' exactly-once contract across a restart: two Collector instances, one after the other,
 * over the same trap file, and a client that keeps its last timestamp between them. The client
 * does what getTraps does (CollectorApi.getTraps: closedSecond, then receivedIn up to it). The clock is a fake one,
 * set by the test; the collectors' threads and the file are real.
 */
class RestartExactlyOnceTest {
    private static final long T0 = 1_700_000_100_000L;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(T0);
    private final List<String> seen = new ArrayList<>();
    private long timestamp;

    private static String line(String id, String time) {
        return id + "\t" + time + "\tWarning\tlustrefs\tlustrefs-OST0003\tmessage " + id + "\n";
    }

    private static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One getTraps call passing the last timestamp; remembers what it got. */
    private void poll(TrapStore store) {
        long upTo = store.closedSecond();
        for (Trap t : store.receivedIn(timestamp, upTo, 250)) {
            seen.add(t.id());
        }
        timestamp = Math.max(upTo, timestamp);
    }

    private Collector start(Path trapFile) throws Exception {
        Path root = Files.createDirectories(dir.resolve("lustre-root"));
        Collector c = new Collector(ConfigLoader.fromValues(Map.of()).withSources(root, trapFile, null), clock::get);
        c.start();
        return c;
    }

    private static void awaitReceived(Collector c, int n) throws InterruptedException {
        awaitTrue(() -> c.store().stats().received() >= n, "waiting for " + n + " traps");
    }

    @Test
    void aClientKeepingItsTimestampGetsEveryTrapOnceAcrossARestart() throws Exception {
        Path f = dir.resolve("traps");
        append(f, line("a1", "1700000050") + line("a2", "1700000050.5")); // older than the first run
        try (Collector first = start(f)) {
            awaitReceived(first, 2);
            poll(first.store()); // a1, a2
            clock.set(T0 + 500);
            append(f, line("a3", "1700000100.5"));
            awaitReceived(first, 3);
            clock.set(T0 + 1_200);
            poll(first.store()); // a3
            clock.set(T0 + 1_300);
            append(f, line("a4", "1700000101.3")); // received, never polled before the stop
            awaitReceived(first, 4);
        }
        assertEquals(List.of("a1", "a2", "a3"), seen);

        clock.set(T0 + 100_000); // the restart, 100 s later
        try (Collector second = start(f)) {
            awaitReceived(second, 4); // the whole file read again
            clock.set(T0 + 100_500);
            append(f, line("a5", "1700000200.5"));
            awaitReceived(second, 5);
            clock.set(T0 + 101_000);
            poll(second.store());
        }
        assertEquals(List.of("a1", "a2", "a3", "a4", "a5"), seen, "each trap once, none lost");
    }
}
