package org.lustre.collector.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * A path whose open gives a real "permission denied", then is fixed. Mode 000 does it for a user;
 * root reads any mode, so for root the path is a symbolic link to a write-only sysfs attribute
 * (the kernel refuses to open those for reading, root or not). Aborts the test when neither works.
 */
final class Unreadable {
    /** Write-only sysfs attributes found on common kernels. */
    private static final List<String> WRITE_ONLY = List.of("/sys/bus/pci/rescan", "/sys/bus/pci/drivers_probe",
            "/sys/bus/platform/drivers_probe", "/sys/class/zram-control/hot_remove");

    private Unreadable() {
    }

    /** Makes {@code path} a file with {@code content}'s bytes that cannot be opened for reading. */
    static void make(Path path, Path content) throws IOException {
        Files.copy(content, path, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("---------"));
        if (deniesRead(path)) {
            return;
        }
        Files.delete(path);
        for (String candidate : WRITE_ONLY) {
            Path p = Path.of(candidate);
            if (Files.exists(p) && deniesRead(p)) {
                Files.createSymbolicLink(path, p);
                return;
            }
        }
        Assumptions.abort("no way to make an unreadable file for this user");
    }

    /** Makes {@code path} readable, holding {@code content}'s bytes. */
    static void fix(Path path, Path content) throws IOException {
        if (Files.isSymbolicLink(path)) {
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static boolean deniesRead(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            return false;
        } catch (AccessDeniedException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
