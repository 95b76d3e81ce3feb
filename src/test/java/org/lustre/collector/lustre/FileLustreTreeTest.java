package org.lustre.collector.lustre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
}
