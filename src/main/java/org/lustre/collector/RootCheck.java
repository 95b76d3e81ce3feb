package org.lustre.collector;

/** Whether this process runs as root (uid 0), read from the JDK's Unix login module. */
final class RootCheck {
    private RootCheck() {
    }

    static boolean isRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            // Not a Unix JVM: the name is the best we have.
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
