package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLustreTreeTest {
    @TempDir
    Path dir;

    @Test
    void readsWholeFileAndAbsentIsNull() throws IOException {
        String big = "x".repeat(10_000) + "\n";   // larger than the 4096 proc/sys report
        Fixtures.put(dir, "a/b", big);
        FileLustreTree t = new FileLustreTree(dir);
        assertEquals(big, t.read("a/b"));
        assertEquals(big, t.read("/a/b"));
        assertNull(t.read("a/missing"));
        assertNull(t.read("missing/dir/file"));
        assertTrue(t.exists("a/b"));
        assertFalse(t.exists("a/missing"));
    }

    @Test
    void readsProcFilesThatReportSizeZero() throws IOException {
        // /proc files report size 0; the reader must not trust it.
        FileLustreTree t = new FileLustreTree(Path.of("/"));
        String status = t.read("proc/self/status");
        if (Files.exists(Path.of("/proc/self/status"))) {
            assertTrue(status.contains("Name:"), status);
        }
    }

    @Test
    void capsAtOneMebibyte() throws IOException {
        byte[] data = new byte[FileLustreTree.MAX_BYTES + 5000];
        Arrays.fill(data, (byte) 'a');
        Files.write(dir.resolve("big"), data);
        assertEquals(FileLustreTree.MAX_BYTES, new FileLustreTree(dir).read("big").length());
    }

    @Test
    void dropsTheNulPaddingOfCapturedSysfsFiles() throws IOException {
        // The LLNL 2.15 captures hold each sysfs file as a 4096-byte block: the text, then NULs.
        byte[] padded = new byte[4096];
        byte[] text = "healthy\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, padded, 0, text.length);
        Files.write(dir.resolve("health_check"), padded);
        FileLustreTree t = new FileLustreTree(dir);
        assertEquals("healthy\n", t.read("health_check"));
        assertArrayEquals(text, t.readIfChanged("health_check", null));
        Files.write(dir.resolve("zeros"), new byte[4096]);
        assertEquals("", t.read("zeros"), "all padding: an empty file");
    }

    @Test
    void aFileThatCannotBeReadIsAnErrorNotAbsent() throws IOException {
        // A directory where a file should be fails like EIO does: it exists, and read says so.
        Files.createDirectories(dir.resolve("osp/x-OST0000-osc-MDT0000/kbytesfree"));
        FileLustreTree t = new FileLustreTree(dir);
        assertThrows(IOException.class, () -> t.read("osp/x-OST0000-osc-MDT0000/kbytesfree"));
    }

    @Test
    void replacesMalformedUtf8() throws IOException {
        Files.write(dir.resolve("bad"), new byte[] {'o', 'k', (byte) 0xff, (byte) 0xc3, '\n'});
        String s = new FileLustreTree(dir).read("bad");
        assertTrue(s.startsWith("ok\uFFFD"), s);
        assertTrue(s.endsWith("\n"));
    }

    @Test
    void listsSortedAndEmptyWhenAbsent() throws IOException {
        Fixtures.put(dir, "osp/c/x", "1");
        Fixtures.put(dir, "osp/a/x", "1");
        Fixtures.put(dir, "osp/b", "1");
        FileLustreTree t = new FileLustreTree(dir);
        assertEquals(List.of("a", "b", "c"), t.list("osp"));
        assertEquals(List.of(), t.list("nothing"));
        assertEquals(List.of(), t.list("osp/b"), "a file is not a directory");
    }

    @Test
    void followsSymlinksLikeThe210LovLink() throws IOException {
        FileLustreTree t = new FileLustreTree(Fixtures.HPE);
        assertTrue(Files.isSymbolicLink(Fixtures.HPE.resolve("proc/fs/lustre/lov/lustrefs-MDT0000-mdtlov")));
        assertEquals(t.read("proc/fs/lustre/lod/lustrefs-MDT0000-mdtlov/target_obd"),
                t.read("proc/fs/lustre/lov/lustrefs-MDT0000-mdtlov/target_obd"));
        assertEquals(t.list("proc/fs/lustre/lod/lustrefs-MDT0000-mdtlov"),
                t.list("proc/fs/lustre/lov/lustrefs-MDT0000-mdtlov"));
    }

    @Test
    void refusesPathsLeavingTheRoot() {
        FileLustreTree t = new FileLustreTree(dir.resolve("root"));
        assertThrows(IOException.class, () -> t.read("../etc/passwd"));
        assertFalse(t.exists("../../"));
    }

    @Test
    void readIfChangedHandsBackThePreviousArrayOnlyWhenTheBytesAreEqual() throws IOException {
        Fixtures.put(dir, "lod/target_obd", "0: a-OST0000_UUID ACTIVE\n");
        FileLustreTree t = new FileLustreTree(dir);
        byte[] first = t.readIfChanged("lod/target_obd", null);
        assertArrayEquals("0: a-OST0000_UUID ACTIVE\n".getBytes(StandardCharsets.UTF_8), first);
        assertSame(first, t.readIfChanged("lod/target_obd", first), "unchanged: the same array");
        byte[] copy = first.clone();
        assertSame(copy, t.readIfChanged("lod/target_obd", copy), "equal content: the caller's array");

        Fixtures.put(dir, "lod/target_obd", "0: a-OST0000_UUID INACTIVE\n");
        byte[] changed = t.readIfChanged("lod/target_obd", first);
        assertNotSame(first, changed);
        assertArrayEquals("0: a-OST0000_UUID INACTIVE\n".getBytes(StandardCharsets.UTF_8), changed);
        // Same length, one byte different; and a prefix of the previous content.
        Fixtures.put(dir, "lod/target_obd", "0: a-OST0000_UUID INACTIVF\n");
        assertNotSame(changed, t.readIfChanged("lod/target_obd", changed));
        Fixtures.put(dir, "lod/target_obd", "0: a-OST0000_UUID");
        assertEquals(17, t.readIfChanged("lod/target_obd", changed).length);

        assertNull(t.readIfChanged("lod/missing", first));
    }

    @Test
    void theReusedBufferNeverLeaksBytesOfAnEarlierLargerFile() throws IOException {
        String big = "y".repeat(100_000);
        Fixtures.put(dir, "big", big);
        Fixtures.put(dir, "small", "42\n");
        Fixtures.put(dir, "empty", "");
        FileLustreTree t = new FileLustreTree(dir);
        for (int i = 0; i < 3; i++) {
            assertEquals(big, t.read("big"));
            assertEquals("42\n", t.read("small"));
            assertEquals("", t.read("empty"));
            assertArrayEquals(new byte[0], t.readIfChanged("empty", null));
        }
    }

    @Test
    void concurrentReadersEachGetTheirOwnFile() throws Exception {
        Fixtures.put(dir, "a", "a".repeat(20_000));
        Fixtures.put(dir, "b", "b".repeat(5_000));
        FileLustreTree t = new FileLustreTree(dir);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int k = 0; k < 4; k++) {
            String name = k % 2 == 0 ? "a" : "b";
            String want = k % 2 == 0 ? "a".repeat(20_000) : "b".repeat(5_000);
            Thread th = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        String got = t.read(name);
                        if (!want.equals(got)) {
                            throw new AssertionError(name + ": wrong content, " + (got == null ? 0 : got.length()) + " chars");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(10_000);
        }
        assertNull(failure.get());
    }

    @Test
    void plainPathsSkipNormalizationOthersStillMayNotLeaveTheRoot() throws IOException {
        assertTrue(FileLustreTree.isPlain("proc/fs/lustre/lod/x-MDT0000-mdtlov/target_obd"));
        assertFalse(FileLustreTree.isPlain("proc/../etc/passwd"));
        assertFalse(FileLustreTree.isPlain("../x"));
        assertFalse(FileLustreTree.isPlain("a//b"));
        assertFalse(FileLustreTree.isPlain("a/./b"));
        assertFalse(FileLustreTree.isPlain(""));
        Fixtures.put(dir, "in/f", "x\n");
        FileLustreTree t = new FileLustreTree(dir.resolve("in"));
        assertThrows(IOException.class, () -> t.read("../in/../f"));
        assertEquals("x\n", t.read("sub/../f"));
    }
}
