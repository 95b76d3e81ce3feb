package org.lustre.collector.bench;

/** The baseline child: a JVM with the collector's flags that does nothing but sleep. */
public final class IdleMain {
    private IdleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
