package org.lustre.collector;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The collector's version, written into version.properties by the build. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no version then: "dev"
        }
        return p.getProperty("version", "dev");
    }
}
