package org.lustre.collector.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * Reads and writes the files of one simulated tree, relative to its root. A replace goes through
 * a temporary file ({@code .<name>.sim-tmp}) and a rename, so a concurrent reader (the collector)
 * sees the old or the new content, never half of it. Sysfs files are NUL-padded when the shape
 * says so, as real captures are. Not thread-safe: {@link SimulatedTree} serializes its callers.
 */
final class TreeFiles {
    /** Size of the blocks real captures pad sysfs files to with NULs. */
    static final int PAD_TO = 4096;
    private static final String TMP_SUFFIX = ".sim-tmp";

    private final Path root;
    private final Layout layout;
    private final SimulatedTree.Shape shape;
    private long filesWritten;

    TreeFiles(Path root, Layout layout, SimulatedTree.Shape shape) {
        this.root = root;
        this.layout = layout;
        this.shape = shape;
    }

    Path root() {
        return root;
    }

    Layout layout() {
        return layout;
    }

    SimulatedTree.Shape shape() {
        return shape;
    }

    long filesWritten() {
        return filesWritten;
    }

    Path resolve(String rel) {
        return root.resolve(rel);
    }

    /** False for a file, a missing path or a directory with anything in it. */
    static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        }
    }

    /** A file's text without its NUL padding. */
    String read(String rel) throws IOException {
        try {
            return Files.readString(root.resolve(rel), StandardCharsets.UTF_8).replaceFirst("\0+\\z", "");
        } catch (NoSuchFileException e) {
            throw new IOException("simulated tree is missing " + rel + " (was it created by another layout?)", e);
        }
    }

    long readLong(String rel) throws IOException {
        return Long.parseLong(read(rel).trim());
    }

    /** Plain write, for creation (nobody reads the tree yet). */
    void write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        try {
            Files.write(p, bytes(rel, content));
        } catch (NoSuchFileException e) {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes(rel, content));
        }
        filesWritten++;
    }

    void replace(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Path tmp = p.resolveSibling("." + p.getFileName() + TMP_SUFFIX);
        Files.createDirectories(p.getParent());
        Files.write(tmp, bytes(rel, content));
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
        filesWritten++;
    }

    /** The bytes a file is written with: NUL-padded to {@link #PAD_TO} for sysfs when the shape says so. */
    private byte[] bytes(String rel, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return shape.nulPadding() && rel.startsWith(Layout.SYS) && b.length < PAD_TO ? Arrays.copyOf(b, PAD_TO) : b;
    }
}
