package org.lustre.collector.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the packaged artifacts and the integration tests' scratch folder are (set by failsafe). */
public final class Artifacts {
    private Artifacts() {
    }

    public static Path jar() {
        return existing(System.getProperty("collector.jar", "target/lustre-collector.jar"));
    }

    public static Path war() {
        return existing(System.getProperty("collector.war", "target/lustre-collector.war"));
    }

    public static Path basedir() {
        return Path.of(System.getProperty("project.basedir", ".")).toAbsolutePath();
    }

    /** A fresh folder under target/it for one test class. */
    public static Path work(String name) throws java.io.IOException {
        Path dir = Path.of(System.getProperty("it.work", "target/it")).toAbsolutePath().resolve(name);
        if (Files.exists(dir)) {
            org.lustre.collector.it.Processes.deleteTree(dir);
        }
        return Files.createDirectories(dir);
    }

    private static Path existing(String p) {
        Path path = Path.of(p).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: run the integration tests with 'mvn verify'");
        }
        return path;
    }

    /** The java executable running the tests, to start the collector with the same JDK. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
