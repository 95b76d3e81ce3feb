package org.lustre.collector.lustre;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link LustreTree} over the real file system, rooted at {@code lustre-root} ({@code /} in
 * production, a test or simulator directory otherwise). Symlinks are followed: in 2.10
 * {@code proc/fs/lustre/lov/<name>} is a symlink to {@code ../lod/<name>}.
 *
 * <p>Any thread may call it at any time: its only state is a spare read buffer that one thread
 * at a time takes (atomically) and gives back.
 *
 * <p>Files are read to end of file, never trusting the size the file system reports: proc and
 * sysfs files report 4096 or 0 whatever they hold. At most {@link #MAX_BYTES} are read; the rest
 * of a larger file is ignored (no Lustre file we read comes near it). Bytes that are not UTF-8
 * are replaced by U+FFFD rather than failing the read. Trailing NUL bytes (padding) are dropped.
 */
public final class FileLustreTree implements LustreTree {
    /** Largest part of a file that is read (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    /** Most bytes asked of one read call (see {@link #fill}). */
    private static final int CHUNK = 8192;
    /**
     * A first read shorter than this and than asked is the whole file, and the read that would
     * return 0 is skipped: a tenth of the cost of the sweep's one-line reads. Safe for what Lustre
     * serves: sysfs and debugfs attributes and single-record seq files answer whole in the first
     * read; a multi-record seq file (target_obd) stops a read short only when its page-sized
     * buffer cannot take the next record, that is past 3 KiB with Lustre's lines of well under 1 KiB.
     */
    private static final int WHOLE_IF_SHORTER = 1024;

    private static final class Buffer {
        byte[] bytes = new byte[CHUNK];
        int len;
    }

    private final Path root;
    /** The root as a string ending in '/'. */
    private final String rootPrefix;
    /** True when the root is on the platform's file system (FileInputStream can open it). */
    private final boolean defaultFs;
    /**
     * One read buffer kept between reads (it grows to the largest file read): a new 8 KiB buffer
     * for each of a scan's 2,000 files would be most of what a scan allocates. A thread that
     * finds it taken (a concurrent getNodeInfo) uses a buffer of its own.
     */
    private final AtomicReference<Buffer> spare = new AtomicReference<>(new Buffer());

    public FileLustreTree(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        String r = this.root.toString();
        this.rootPrefix = r.endsWith("/") ? r : r + "/";
        this.defaultFs = this.root.getFileSystem() == FileSystems.getDefault();
    }

    @Override
    public String read(String path) throws IOException {
        Buffer buf = borrow();
        try {
            if (!fill(path, buf)) {
                return null;
            }
            // Malformed bytes become U+FFFD. Not a CharsetDecoder: that decodes into a char buffer
            // and copies again, a visible share of an idle collector's scans of 100 target_obd files.
            return new String(buf.bytes, 0, buf.len, StandardCharsets.UTF_8);
        } finally {
            spare.set(buf);
        }
    }

    @Override
    public byte[] readIfChanged(String path, byte[] previous) throws IOException {
        Buffer buf = borrow();
        try {
            if (!fill(path, buf)) {
                return null;
            }
            if (previous != null && Arrays.equals(buf.bytes, 0, buf.len, previous, 0, previous.length)) {
                return previous;
            }
            return Arrays.copyOf(buf.bytes, buf.len);
        } finally {
            spare.set(buf);
        }
    }

    /**
     * Reads the whole file (up to {@link #MAX_BYTES}) into {@code buf}; false when it does not
     * exist. FileInputStream on a path string rather than Files.newInputStream: at 2,000 small
     * files per scan the channel, its Path and the per-read heap ByteBuffer are a third of the
     * cost of a read under the collector's C1-only JVM.
     */
    private boolean fill(String path, Buffer buf) throws IOException {
        String file = resolve(path);
        buf.len = 0;
        try (InputStream in = open(file)) {
            while (buf.len < MAX_BYTES) {
                if (buf.len == buf.bytes.length) {
                    buf.bytes = Arrays.copyOf(buf.bytes, Math.min(MAX_BYTES, buf.bytes.length * 2));
                }
                // At most CHUNK per call: the JDK reads that much through a stack buffer, more
                // through a malloc per call.
                int asked = Math.min(CHUNK, buf.bytes.length - buf.len);
                int n = in.read(buf.bytes, buf.len, asked);
                if (n < 0) {
                    break;
                }
                buf.len += n;
                if (buf.len == n && n < WHOLE_IF_SHORTER && n < asked) {
                    break;
                }
            }
            // Some tools copy sysfs files as 4096-byte blocks padded with NULs (the LLNL 2.15
            // captures do); Lustre never writes a NUL into a text file, so trailing ones go.
            while (buf.len > 0 && buf.bytes[buf.len - 1] == 0) {
                buf.len--;
            }
        } catch (IOException e) {
            // FileNotFoundException: an absent file, or one we may not read; tell them apart. A
            // proc/debugfs file whose target was unmounted between open and read fails with
            // ENODEV or ENOENT; when the file is gone by now, that is "absent", not an error.
            if (!Files.exists(pathOf(file))) {
                return false;
            }
            throw e;
        }
        return true;
    }

    /** FileInputStream on the default file system; others (in-memory trees in tests) through Files. */
    private InputStream open(String file) throws IOException {
        return defaultFs ? new FileInputStream(file) : Files.newInputStream(pathOf(file));
    }

    private Path pathOf(String file) {
        return root.getFileSystem().getPath(file);
    }

    /** The spare buffer, or a new one when another thread holds it. */
    private Buffer borrow() {
        Buffer b = spare.getAndSet(null);
        return b != null ? b : new Buffer();
    }

    @Override
    public List<String> list(String dir) throws IOException {
        String resolved = resolve(dir);
        if (defaultFs) {
            // File.list: names straight from readdir, where a DirectoryStream makes two Paths per
            // entry (a third of a discovery's CPU over the 100,000 OSP devices of a large MDS).
            String[] found = new java.io.File(resolved).list();
            if (found == null) {
                if (Files.isDirectory(pathOf(resolved))) {
                    throw new IOException("cannot list " + resolved);
                }
                return List.of();
            }
            Arrays.sort(found);
            return List.of(found);
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(pathOf(resolved))) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        Collections.sort(names);
        return List.copyOf(names);
    }

    @Override
    public boolean exists(String path) {
        try {
            return Files.exists(pathOf(resolve(path)));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Resolves a relative path under the root, as a string for FileInputStream. Names come from
     * directory listings and from file contents (mgs filesystems), so a path that would leave the
     * root is refused. A plain path (no empty, "." or ".." segment) is simply appended to the
     * root; only the others go through Path normalization.
     */
    private String resolve(String path) throws IOException {
        String rel = path.startsWith("/") ? path.substring(1) : path;
        if (isPlain(rel)) {
            return rootPrefix + rel;
        }
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("path leaves lustre-root: " + path);
        }
        return p.toString();
    }

    /** True when no segment of {@code rel} is empty, "." or "..". */
    static boolean isPlain(String rel) {
        if (rel.isEmpty() || rel.startsWith(".") || rel.endsWith("/")) {
            return false;
        }
        return !rel.contains("//") && !rel.contains("/.");
    }
}
