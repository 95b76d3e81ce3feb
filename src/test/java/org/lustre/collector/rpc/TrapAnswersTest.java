package org.lustre.collector.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.lustre.collector.config.ConfigLoader;
import org.lustre.collector.service.Collector;
import org.lustre.collector.trap.Category;
import org.lustre.collector.trap.TrapEvent;
import org.lustre.collector.trap.TrapStore;

/**
 * getTraps and getTrapRecords on a store fed by the test (the writer) with a clock of its own:
 * the answers' byte cap, the cursor and timestamp handed back after a cut, and getTraps' notice
 * of traps that left the store. Every answer goes through the real endpoint, as bytes.
 */
class TrapAnswersTest {
    private static final Pattern NOTICE = Pattern.compile("(\\d+) traps? not delivered \\(maxtraps \\d+.*see getTrapRecords");
    /**
     * A trap message of the longest length kept, all '&' as the outside attack sent them: escaping
     * makes it five times longer (about 20 KiB in an answer).
     */
    private static final String AMPERSANDS = "&".repeat(TrapEvent.MAX_MESSAGE_BYTES - 16);
    /** Traps of {@link #AMPERSANDS}: about 20 MiB once escaped, five answers of 4 MiB at least. */
    private static final int LONG_TRAPS = 1_000;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private TrapStore store;
    private XmlRpcEndpoint endpoint;

    private void collector(int maxTraps) throws Exception {
        Collector c = new Collector(ConfigLoader.fromValues(Map.of("maxtraps", Integer.toString(maxTraps),
                "kmsg", "none")), clock::get);
        store = c.store();
        endpoint = new XmlRpcEndpoint(new MethodTable(new CollectorApi(c).methods()));
    }

    private void add(String message) {
        store.append(new TrapEvent("t-" + store.stats().received(), clock.get(), Category.WARNING, "fs1",
                "fs1-OST0001", message, "test"));
    }

    private void nextSecond() {
        clock.addAndGet(1000);
    }

    /** One getTraps answer, its size checked against the cap. */
    private Object[] getTraps(int time) {
        byte[] bytes = endpoint.handle(Answer.call("getTraps", "<int>" + time + "</int>").getBytes(UTF_8));
        assertTrue(bytes.length < AnswerLimit.TRAP_BYTES + 4096, "answer of " + bytes.length + " bytes");
        Answer a = Answer.parse(bytes);
        assertTrue(a.ok(), a.faultString());
        return (Object[]) a.value();
    }

    private Map<?, ?> getTrapRecords(int cursor, int limit) {
        byte[] bytes = endpoint.handle(Answer.call("getTrapRecords", "<int>" + cursor + "</int>",
                "<int>" + limit + "</int>").getBytes(UTF_8));
        assertTrue(bytes.length < AnswerLimit.TRAP_BYTES + 4096, "answer of " + bytes.length + " bytes");
        Answer a = Answer.parse(bytes);
        assertTrue(a.ok(), a.faultString());
        return (Map<?, ?>) a.value();
    }

    /** A poller's view: the messages delivered (each must come once) and the traps noticed as lost. */
    private static final class Poller {
        int time;
        final Set<String> seen = new HashSet<>();
        long noticed;
        int answers;

        void take(Object[] answer) {
            answers++;
            for (Object row : (Object[]) answer[0]) {
                Object[] r = (Object[]) row;
                String message = (String) r[0];
                Matcher m = NOTICE.matcher(message);
                if (m.matches()) {
                    assertEquals(1, r[1], "a notice is a Warning");
                    assertEquals("", r[2], "from the collector itself, no node");
                    noticed += Long.parseLong(m.group(1));
                } else {
                    assertTrue(seen.add(message), "delivered twice: " + message.substring(0, Math.min(40, message.length())));
                }
            }
            int next = (Integer) answer[1];
            assertTrue(next >= time, "the timestamp never goes back");
            time = next;
        }
    }

    @Test
    void aPollerThroughABurstLearnsHowManyTrapsItMissed() throws Exception {
        collector(250);
        Poller p = new Poller();
        p.take(getTraps(0));
        int sent = 0;
        for (int second = 0; second < 20; second++) {
            nextSecond();
            for (int i = 0; i < 1000; i++) {
                add("burst event " + sent++);
            }
            nextSecond();
            p.take(getTraps(p.time));
        }
        nextSecond();
        nextSecond();
        p.take(getTraps(p.time));
        assertTrue(p.seen.size() <= 20 * 250, "the store keeps 250 traps: " + p.seen.size());
        assertEquals(sent, p.seen.size() + p.noticed, "every trap is delivered or counted as not delivered");
        // and once caught up, no more notices
        long before = p.noticed;
        nextSecond();
        add("after the burst");
        nextSecond();
        p.take(getTraps(p.time));
        assertEquals(before, p.noticed);
        assertTrue(p.seen.contains("after the burst"));
    }

    @Test
    void aPollerThatKeepsUpGetsNoNotice() throws Exception {
        collector(250);
        Poller p = new Poller();
        for (int second = 0; second < 5; second++) {
            nextSecond();
            for (int i = 0; i < 100; i++) {
                add("steady " + second + "/" + i);
            }
            nextSecond();
            p.take(getTraps(p.time));
        }
        assertEquals(500, p.seen.size());
        assertEquals(0, p.noticed);
    }

    @Test
    void getTrapsIsCutAtTheByteCapAtASecondAndTheRestComesNextExactlyOnce() throws Exception {
        collector(LONG_TRAPS);
        // 100 a second, 2 MiB a second once escaped
        for (int i = 0; i < LONG_TRAPS; i++) {
            if (i % 100 == 0) {
                nextSecond();
            }
            add(i + " " + AMPERSANDS);
        }
        nextSecond();
        nextSecond();
        Poller p = new Poller();
        for (int i = 0; i < 40 && p.seen.size() < LONG_TRAPS; i++) {
            p.take(getTraps(p.time));
        }
        assertEquals(LONG_TRAPS, p.seen.size());
        assertEquals(0, p.noticed, "nothing was lost, nothing is noticed");
        assertTrue(p.answers >= 5, "20 MiB of traps need at least 5 answers of 4 MiB: " + p.answers);
    }

    @Test
    void oneSecondOverTheCapIsDeliveredInPartWithANoticeAndPassed() throws Exception {
        collector(LONG_TRAPS);
        nextSecond();
        for (int i = 0; i < LONG_TRAPS; i++) {
            add(i + " " + AMPERSANDS);
        }
        nextSecond();
        nextSecond();
        Poller p = new Poller();
        p.take(getTraps(0));
        assertTrue(p.seen.size() > 0 && p.seen.size() < LONG_TRAPS, "in part: " + p.seen.size());
        assertEquals(LONG_TRAPS, p.seen.size() + p.noticed);
        p.take(getTraps(p.time));
        assertEquals(LONG_TRAPS, p.seen.size() + p.noticed, "the second was passed: nothing more, nothing twice");
    }

    @Test
    void getTrapRecordsIsCutAtTheByteCapAndTheCursorContinuesRightAfter() throws Exception {
        collector(LONG_TRAPS);
        for (int i = 0; i < LONG_TRAPS; i++) {
            add(i + " " + AMPERSANDS);
        }
        Set<String> seen = new HashSet<>();
        int cursor = 0;
        int answers = 0;
        while (true) {
            Map<?, ?> page = getTrapRecords(cursor, LONG_TRAPS);
            Object[] traps = (Object[]) page.get("traps");
            if (traps.length == 0) {
                assertEquals(Boolean.FALSE, page.get("truncated"));
                break;
            }
            answers++;
            assertEquals(0, page.get("dropped"));
            assertEquals(seen.size() + traps.length < LONG_TRAPS, page.get("truncated"), "says when it was cut");
            for (Object t : traps) {
                assertTrue(seen.add((String) ((Map<?, ?>) t).get("message")));
            }
            cursor = (Integer) page.get("cursor");
            assertEquals(seen.size(), cursor, "the cursor stops at the last trap sent");
        }
        assertEquals(LONG_TRAPS, seen.size());
        assertTrue(answers >= 5, "answers: " + answers);
    }

    @Test
    void fiftyThousandStoredTrapsComeInAnswersOfAtMostTheCap() throws Exception {
        collector(50_000);
        for (int i = 0; i < 50_000; i++) {
            add(String.format("message number %07d %s", i, "x".repeat(70)));
        }
        int cursor = 0;
        int total = 0;
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            Map<?, ?> page = getTrapRecords(cursor, 50_000);
            int n = ((Object[]) page.get("traps")).length;
            if (n == 0) {
                break;
            }
            sizes.add(n);
            total += n;
            cursor = (Integer) page.get("cursor");
        }
        assertEquals(50_000, total);
        assertTrue(sizes.size() > 1, "one answer would be ~20 MB: " + sizes);
    }

    @Test
    void theFragmentCacheKeepsItsBytesBounded() throws Exception {
        collector(LONG_TRAPS);
        EncodedTraps cache = new EncodedTraps(LONG_TRAPS);
        for (int i = 0; i < LONG_TRAPS; i++) {
            add(i + " " + AMPERSANDS); // 20 KB escaped: cacheable one by one, 20 MB in all
        }
        for (org.lustre.collector.trap.Trap t : store.read(0, LONG_TRAPS).traps()) {
            assertTrue(cache.row(t).length() > 20_000);
            cache.record(t);
        }
        assertTrue(cache.cachedBytes() <= EncodedTraps.MAX_BYTES, "cached " + cache.cachedBytes());
        assertTrue(cache.cachedBytes() > 0);
    }
}
