package org.lustre.collector.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.lustre.collector.sim.Topology.lodName;
import static org.lustre.collector.sim.Topology.ospName;

/**
 * An OST's space files as the MDS shows them (kbytesfree, kbytesavail, prealloc_status, the LOD
 * totals), and a kbytesfree that cannot be read. Callers check the file system and index. Not
 * thread-safe: {@link SimulatedTree} serializes its callers.
 */
final class OstSpace {
    private final TreeFiles files;
    private final Layout layout;

    OstSpace(TreeFiles files) {
        this.files = files;
        this.layout = files.layout();
    }

    void fill(String fs, int index, int percentUsed) throws IOException {
        if (percentUsed < 0 || percentUsed > 100) {
            throw new IllegalArgumentException("percent used must be 0-100, not " + percentUsed);
        }
        String attr = layout.ospAttrDir(ospName(fs, index));
        long total = files.readLong(attr + "/kbytestotal");
        long oldFree = files.readLong(attr + "/kbytesfree");
        long oldAvail = files.readLong(attr + "/kbytesavail");
        long free = percentUsed == 100 ? 0 : total - total / 100 * percentUsed;
        long avail = Math.max(0, free - TreeBuilder.RESERVED_KBYTES);
        files.replace(attr + "/kbytesfree", free + "\n");
        files.replace(attr + "/kbytesavail", avail + "\n");
        files.replace(attr + "/prealloc_status", avail == 0 ? "-28\n" : "0\n");
        String lodAttr = layout.lodAttrDir(lodName(fs));
        long lodFree = files.readLong(lodAttr + "/kbytesfree");
        long lodAvail = files.readLong(lodAttr + "/kbytesavail");
        files.replace(lodAttr + "/kbytesfree", (lodFree - oldFree + free) + "\n");
        files.replace(lodAttr + "/kbytesavail", (lodAvail - oldAvail + avail) + "\n");
    }

    int percentUsed(String fs, int index) throws IOException {
        String attr = layout.ospAttrDir(ospName(fs, index));
        long total = files.readLong(attr + "/kbytestotal");
        long free = files.readLong(attr + "/kbytesfree");
        return (int) Math.round(100.0 * (total - free) / total);
    }

    /**
     * A directory takes kbytesfree's place (reading a directory fails, even for root, as a live
     * OSP's read fails with ENOTCONN or EIO); the value is kept inside it for {@link #readable}.
     */
    boolean unreadable(String fs, int index) throws IOException {
        Path file = kbytesFree(fs, index);
        if (Files.isDirectory(file)) {
            return false;
        }
        byte[] value = Files.readAllBytes(file);
        Files.delete(file);
        Files.createDirectory(file);
        Files.write(file.resolve("value"), value);
        return true;
    }

    boolean readable(String fs, int index) throws IOException {
        Path file = kbytesFree(fs, index);
        if (!Files.isDirectory(file)) {
            return false;
        }
        byte[] value = Files.readAllBytes(file.resolve("value"));
        Files.delete(file.resolve("value"));
        Files.delete(file);
        Files.write(file, value);
        return true;
    }

    private Path kbytesFree(String fs, int index) {
        return files.resolve(layout.ospAttrDir(ospName(fs, index)) + "/kbytesfree");
    }
}
