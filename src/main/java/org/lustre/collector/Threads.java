package org.lustre.collector;

/** Starting and stopping the collector's own background threads, one way for all of them. */
public final class Threads {
    private Threads() {
    }

    /** A daemon thread (not started): none of ours may keep the JVM alive after a stop. */
    public static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Interrupts {@code t} (null: never started) and waits up to {@code millis} for it to end.
     * Keeps the caller's interrupt flag. Any thread.
     *
     * @return true when the thread has ended (or never started)
     */
    public static boolean stop(Thread t, long millis) {
        if (t == null) {
            return true;
        }
        t.interrupt();
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
