package org.lustre.collector.trap;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The trap store's counters: every event received, stored or not, by file system, source
 * (trapfile, kmsg, scan, collector) and category, and the events coalesced into storm traps or
 * refused as duplicates. Changed by the store's
 * writer only, read by any thread; each counter is read on its own, so several are not one
 * atomic snapshot.
 */
final class TrapCounters {
    private static final Logger LOG = LogManager.getLogger(TrapCounters.class);
    /** Distinct file systems counted by name; the design's scale is 100, input may be garbage. */
    static final int MAX_FILE_SYSTEMS = 1024;

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<String, Map<String, AtomicLongArray>> byFs = new ConcurrentHashMap<>();
    private boolean warnedFileSystems;

    /** {@code n} events received for {@code fs} from {@code source} in {@code category}. Writer thread only. */
    void received(String fs, String source, Category category, int n) {
        received.addAndGet(n);
        Map<String, AtomicLongArray> sources = byFs.get(fs);
        if (sources == null) {
            if (byFs.size() >= MAX_FILE_SYSTEMS) {
                if (!warnedFileSystems) {
                    warnedFileSystems = true;
                    LOG.warn("more than {} file system names seen; counting further ones under \"\" (first: {})",
                            MAX_FILE_SYSTEMS, fs);
                }
                fs = "";
            }
            sources = byFs.computeIfAbsent(fs, k -> new ConcurrentHashMap<>());
        }
        // Sources are the collector's own names (a handful), not input.
        sources.computeIfAbsent(source == null ? "" : source, k -> new AtomicLongArray(Category.values().length))
                .addAndGet(category.code(), n);
    }

    /** {@code n} events folded into a storm trap. Writer thread only. */
    void coalesced(long n) {
        coalesced.addAndGet(n);
    }

    /** One event not stored: a trap with its id is in the store. Writer thread only. */
    void duplicate() {
        duplicates.incrementAndGet();
    }

    long received() {
        return received.get();
    }

    long coalesced() {
        return coalesced.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Events received for {@code fs} by category code, all sources; zeros when unknown. */
    long[] byCategory(String fs) {
        long[] out = new long[Category.values().length];
        Map<String, AtomicLongArray> sources = fs == null ? null : byFs.get(fs);
        if (sources != null) {
            for (AtomicLongArray counts : sources.values()) {
                for (int i = 0; i < out.length; i++) {
                    out[i] += counts.get(i);
                }
            }
        }
        return out;
    }

    /** Events received by file system ("" unknown), then source, by category code; sorted by both. */
    Map<String, Map<String, long[]>> bySource() {
        Map<String, Map<String, long[]>> out = new TreeMap<>();
        byFs.forEach((fs, sources) -> sources.forEach((source, counts) -> {
            long[] c = new long[Category.values().length];
            for (int i = 0; i < c.length; i++) {
                c[i] = counts.get(i);
            }
            out.computeIfAbsent(fs, k -> new TreeMap<>()).put(source, c);
        }));
        return out;
    }
}
