package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReadScheduleTest {

    /** What the scanner does after a discovery: the list and the same targets by name. */
    private static void adopt(ReadSchedule s, List<Target> targets) {
        Map<String, Target> byName = new HashMap<>();
        for (Target t : targets) {
            byName.put(t.name(), t);
        }
        s.targets(targets, byName);
    }

    private static List<Target> osts(int n) {
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TargetName id = TargetName.parse(String.format("fs-OST%04x", i));
            out.add(new Target(id, id.name() + "_UUID", List.of("MDT0000"), null, null, false, false));
        }
        return out;
    }

    @Test
    void theSweepReadsEveryTargetWithinSweepScans() {
        for (int n : new int[] {1, 7, 60, 61, 1000, 1001}) {
            for (int scans : new int[] {1, 2, 12, 60}) {
                ReadSchedule s = new ReadSchedule(3, scans);
                adopt(s, osts(n));
                assertEquals((n + scans - 1) / scans, s.sweepPerScan());
                // From any starting point, the next `scans` scans read every target's connection.
                for (int warm = 0; warm < 3; warm++) {
                    Map<String, Integer> seen = new HashMap<>();
                    for (int k = 0; k < scans; k++) {
                        for (Target t : s.next().sweep()) {
                            seen.merge(t.name(), 1, Integer::sum);
                        }
                    }
                    assertEquals(n, seen.size(), n + " targets, " + scans + " scans");
                }
            }
        }
    }

    @Test
    void theWorstCaseDelayIsSweepScans() {
        // A target changes right after the sweep read it: the sweep reads it again exactly sweepScans scans later.
        ReadSchedule s = new ReadSchedule(1, 12);
        adopt(s, osts(100));
        int lastRead = -1;
        int gap = 0;
        for (int scan = 0; scan < 200; scan++) {
            for (Target t : s.next().sweep()) {
                if (t.name().equals("fs-OST0042")) {
                    if (lastRead >= 0) {
                        gap = Math.max(gap, scan - lastRead);
                    }
                    lastRead = scan;
                }
            }
        }
        assertTrue(gap > 0 && gap <= 12, "gap " + gap);
    }

    @Test
    void roundRobinPriorityAndNoSweep() {
        ReadSchedule s = new ReadSchedule(2, 0);
        adopt(s, osts(5));
        assertEquals(0, s.sweepPerScan());
        s.prioritize("fs-OST0004");
        s.prioritize("nobody");
        ReadSchedule.Plan p = s.next();
        assertEquals(List.of("fs-OST0004", "fs-OST0000", "fs-OST0001"), p.full().stream().map(Target::name).toList());
        assertTrue(p.sweep().isEmpty());
        Set<String> read = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            s.next().full().forEach(t -> read.add(t.name()));
        }
        assertEquals(5, read.size(), "every target within ceil(5 / 2) scans");
    }

    @Test
    void priorityReadsComeInTheOrderTheSourcesNamedThem() {
        ReadSchedule s = new ReadSchedule(3, 0);
        adopt(s, osts(200));
        // A router storm names OSTs in console order; a budget takes the first named first.
        for (int i = 199; i >= 190; i--) {
            s.prioritize(String.format("fs-OST%04x", i));
        }
        s.prioritize(String.format("fs-OST%04x", 199)); // named twice: read once
        assertEquals(List.of("fs-OST00c7", "fs-OST00c6", "fs-OST00c5"),
                s.next().full().subList(0, 3).stream().map(Target::name).toList());
        assertEquals(List.of("fs-OST00c4", "fs-OST00c3", "fs-OST00c2"),
                s.next().full().subList(0, 3).stream().map(Target::name).toList());
    }

    @Test
    void localTargetsAreLeftToTheScanner() {
        List<Target> ts = new ArrayList<>(osts(2));
        TargetName mdt = TargetName.parse("fs-MDT0000");
        ts.add(new Target(mdt, "fs-MDT0000_UUID", List.of(), null, "osd-zfs", true, false));
        ReadSchedule s = new ReadSchedule(10, 1);
        adopt(s, ts);
        ReadSchedule.Plan p = s.next();
        assertEquals(2, p.full().size());
        assertEquals(2, p.sweep().size());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ReadSchedule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReadSchedule(1, -1));
        assertEquals(12, LustreScanner.sweepScans(60, 5));
        assertEquals(1, LustreScanner.sweepScans(60, 120), "interval longer than the sweep: every scan");
        assertEquals(8, LustreScanner.sweepScans(60, 7), "rounded down: within the sweep, never after");
    }
}
