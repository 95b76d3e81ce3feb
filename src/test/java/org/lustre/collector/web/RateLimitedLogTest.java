package org.lustre.collector.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.junit.jupiter.api.Test;

/** The overall bound on refusal lines, with a clock of the test's own; and the body deadline. */
class RateLimitedLogTest {

    @Test
    void aFloodFromManyPeersIsOneLineAMinuteAndItsCount() {
        List<String> lines = new ArrayList<>();
        org.apache.logging.log4j.core.Logger log =
                (org.apache.logging.log4j.core.Logger) LogManager.getLogger("test.rate-limited-log");
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, null) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        log.addAppender(capture);
        try {
            AtomicLong clock = new AtomicLong(1_000_000);
            RateLimitedLog refusals = new RateLimitedLog(log, 60_000, clock::get, "refused requests");
            for (int i = 0; i < 100_000; i++) {
                clock.addAndGet(0 == i % 1000 ? 1 : 0);
                refusals.warn("10.0." + (i / 256 % 256) + "." + (i % 256), "refused from {}", i);
            }
            assertEquals(List.of("refused from 0"), lines);
            clock.addAndGet(60_000);
            refusals.warn("192.0.2.1", "refused from {}", "the next minute");
            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(1).startsWith("99999 more refused requests from 10000 peers in the 60 s before")
                    || lines.get(1).startsWith("99999 more refused requests from at least 10000 peers"), lines.get(1));
            assertEquals("refused from the next minute", lines.get(2));
        } finally {
            log.removeAppender(capture);
        }
    }

    @Test
    void aBodyReadPastItsDeadlineFails() throws Exception {
        RpcServlet.Deadline passed = new RpcServlet.Deadline(new ByteArrayInputStream(new byte[10]),
                System.nanoTime() - 1);
        assertThrows(RpcServlet.Deadline.Passed.class, () -> passed.read(new byte[10], 0, 10));
        RpcServlet.Deadline open = new RpcServlet.Deadline(new ByteArrayInputStream(new byte[10]),
                System.nanoTime() + 60_000_000_000L);
        assertEquals(10, open.read(new byte[10], 0, 10));
    }
}
