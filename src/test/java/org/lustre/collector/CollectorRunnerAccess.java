package org.lustre.collector;

import java.nio.file.Path;

/** Lets tests in other packages remove their temporary trees the way the runner does. */
public final class CollectorRunnerAccess {
    private CollectorRunnerAccess() {
    }

    public static void deleteTree(Path dir) {
        CollectorRunner.deleteTree(dir);
    }
}
