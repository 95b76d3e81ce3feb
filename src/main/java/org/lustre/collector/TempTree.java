package org.lustre.collector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the temporary folders the collector makes (Tomcat's base, the demo's tree). */
public final class TempTree {
    private TempTree() {
    }

    /** Deletes a folder and everything in it; best effort, silent when it is already gone. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file that cannot be removed leaves its folder; nothing else to do
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // the tree changed under us: what is left is in the temporary folder
        }
    }
}
