package org.lustre.collector.monitor;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The outcome of a finished (or bounded) task of the monitor's own: its bugs are rethrown as they were. */
final class Futures {
    private Futures() {
    }

    /**
     * The task's result; a RuntimeException or Error it threw is rethrown as is, any other cause
     * wrapped. Interrupted: the flag is kept and an IllegalStateException names {@code what}.
     */
    static <T> T result(Future<T> f, String what) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }
}
