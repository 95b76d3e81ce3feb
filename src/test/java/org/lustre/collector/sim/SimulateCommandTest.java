package org.lustre.collector.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void createsThenMutates() throws IOException {
        Path tree = dir.resolve("t");
        assertEquals(0, run("--filesystems", "2", "--osts", "8", "--layout", "2.10", tree.toString()), err());
        assertTrue(out().startsWith("created Lustre 2.10 tree in "), out());
        assertEquals("0: fs01-OST0000_UUID ACTIVE", Files.readString(
                tree.resolve("proc/fs/lustre/lod/fs01-MDT0000-mdtlov/target_obd")).lines().findFirst().orElse(""));
        assertEquals(0, run("--down", "fs00:OST0003", "--fill", "fs01:2:97", "--deactivate", "fs01:0x1",
                "--trap", "Critical:fs00:fs00-OST0001:disk: failed", "--kmsg", "LustreError: test", "--health",
                "NOT HEALTHY", "--router-failure", "fs01", tree.toString()), err());
        assertEquals("", err());
        List<String> lines = out().lines().toList();
        assertEquals("fs00-OST0003: DISCONN", lines.get(0));
        assertEquals("fs01-OST0002: 97% used", lines.get(1));
        assertEquals("fs01-OST0001: INACTIVE", lines.get(2));
        assertEquals(7, lines.size(), out());
        SimulatedTree t = SimulatedTree.open(tree);
        assertTrue(t.isDown("fs00", 3));
        assertTrue(t.isDown("fs01", 0), "router failure on o2ib1 of fs01");
        assertEquals(97, t.percentUsed("fs01", 2));
        assertTrue(!t.isActive("fs01", 1));
        String trap = Files.readString(tree.resolve("traps.log"));
        String[] f = trap.strip().split("\t", -1);
        assertEquals(6, f.length);
        assertEquals("Critical", f[2]);
        assertEquals("disk: failed", f[5]);
        assertTrue(Files.readString(tree.resolve("kmsg")).contains(";LustreError: test\n"));
        assertEquals("NOT HEALTHY\n", Files.readString(tree.resolve("sys/fs/lustre/health_check")));
        assertEquals(0, run("--up", "fs00:3", "--router-restore", "fs01:o2ib1", tree.toString()), err());
        assertEquals(0, run(tree.toString()), err());
        assertTrue(out().startsWith("Lustre 2.10 tree in "), out());
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("simulate [options] DIR"), out());
        assertTrue(out().contains("--router-failure"), out());
        assertEquals("", err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--bogus", "--osts abc", "--layout 3.0", "--down fs00", "--down fs09:1",
            "--down fs00:zz", "--fill fs00:1:150", "--trap bad", "--trap Severe:fs00:n:m", "--router-failure fs00:o2ib9",
            "--filesystems 0", "TWO_DIRS", "--kmsg"})
    void usageErrorsGiveExitTwoAndOneLine(String args) throws IOException {
        Path tree = dir.resolve("u");
        List<String> a = new ArrayList<>();
        if (args.equals("TWO_DIRS")) {
            a.add(tree.toString());
            a.add(dir.resolve("other").toString());
        } else {
            if (!args.isEmpty()) {
                a.addAll(List.of(args.split(" ")));
            }
            if (!args.equals("") && !args.equals("--kmsg")) {
                a.add(tree.toString());
            }
        }
        assertEquals(2, run(a.toArray(String[]::new)), out() + err());
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("simulate: "), err());
    }

    @Test
    void createOptionsOnAnExistingTreeAreAUsageError() {
        Path tree = dir.resolve("e");
        assertEquals(0, run("--osts", "4", tree.toString()));
        assertEquals(2, run("--osts", "8", "--down", "fs00:1", tree.toString()));
        assertTrue(err().contains("already holds a tree"), err());
    }

    @Test
    void nonEmptyDirectoryThatIsNoTreeIsRefused() throws IOException {
        Files.writeString(dir.resolve("file"), "x");
        assertEquals(2, run(dir.toString()));
        assertEquals(1, err().lines().count());
    }

    @Test
    void ostIndexForms() {
        assertEquals(10, SimulateCommand.ostIndex("10"));
        assertEquals(10, SimulateCommand.ostIndex("0xa"));
        assertEquals(10, SimulateCommand.ostIndex("OST000a"));
        assertEquals(10, SimulateCommand.ostIndex("fs00-OST000a"));
    }
}
