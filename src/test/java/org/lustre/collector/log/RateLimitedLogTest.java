package org.lustre.collector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a rate-limited warning writes, on a clock of the test's own. */
class RateLimitedLogTest {
    private final List<String> lines = new ArrayList<>();
    private final Logger log = (Logger) LogManager.getLogger("test.rate-limited-log");
    private final AbstractAppender capture = new AbstractAppender("capture", null, null, true, null) {
        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }
    };
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @BeforeEach
    void capture() {
        capture.start();
        log.addAppender(capture);
    }

    @AfterEach
    void release() {
        log.removeAppender(capture);
    }

    @Test
    void aFloodFromManyPeersIsOneLineAMinuteAndItsCount() {
        RateLimitedLog refusals = new RateLimitedLog(log, 60_000, clock::get, "refused requests");
        for (int i = 0; i < 100_000; i++) {
            clock.addAndGet(0 == i % 1000 ? 1 : 0);
            refusals.warnFrom("10.0." + (i / 256 % 256) + "." + (i % 256), "refused from {}", i);
        }
        assertEquals(List.of("refused from 0"), lines);
        clock.addAndGet(60_000);
        refusals.warnFrom("192.0.2.1", "refused from {}", "the next minute");
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("99999 more refused requests from at least 10000 peers in the 60 s before"),
                lines.get(1));
        assertEquals("refused from the next minute", lines.get(2));
    }

    @Test
    void withoutPeersTheSummaryIsACountAndTheIntervalStartsAtTheLoggedLine() {
        RateLimitedLog wraps = new RateLimitedLog(log, 60_000, clock::get, "ring wraps");
        wraps.warn("wrapped {}", 1);
        clock.addAndGet(59_999);
        wraps.warn("wrapped {}", 2);
        wraps.warn("wrapped {}", 3);
        assertEquals(List.of("wrapped 1"), lines);
        clock.addAndGet(1);
        wraps.warn("wrapped {}", 4);
        assertEquals(List.of("wrapped 1", "2 more ring wraps in the 60 s before (not logged one by one)", "wrapped 4"),
                lines);
        clock.addAndGet(120_000);
        wraps.warn("wrapped {}", 5);
        assertEquals("wrapped 5", lines.get(3), "nothing suppressed since line 4, so no summary");
        assertEquals(4, lines.size());
    }

    @Test
    void eachInstanceHasItsOwnInterval() {
        RateLimitedLog a = new RateLimitedLog(log, 60_000, clock::get, "a");
        RateLimitedLog b = new RateLimitedLog(log, 60_000, clock::get, "b");
        a.warn("a");
        b.warn("b");
        a.warn("a again");
        assertEquals(List.of("a", "b"), lines);
    }

    @Test
    void aClockThatGoesBackOpensANewIntervalRatherThanSilenceAnHour() {
        RateLimitedLog l = new RateLimitedLog(log, 60_000, clock::get, "x");
        l.warn("first");
        clock.addAndGet(-3_600_000);
        l.warn("after the clock went back");
        l.warn("suppressed");
        assertEquals(List.of("first", "after the clock went back"), lines);
    }

    @Test
    void anIntervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitedLog(log, 0, clock::get, "x"));
    }
}
