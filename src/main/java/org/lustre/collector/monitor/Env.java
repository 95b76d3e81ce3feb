package org.lustre.collector.monitor;

import java.time.ZoneId;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * What the monitor takes from its surroundings, injectable so tests need neither the real clock
 * nor real sleeps nor the real environment. Immutable.
 *
 * @param clockMillis epoch milliseconds
 * @param zone        for printing times and reading --since local times
 * @param getenv      environment lookup (the password variable)
 * @param console     stdout is a terminal (colours allowed)
 * @param sleeper     waits between polls the given milliseconds; false to stop following (interrupted,
 *                    or a test's script is done)
 */
record Env(LongSupplier clockMillis, ZoneId zone, Function<String, String> getenv, boolean console,
           LongPredicate sleeper) {

    static Env system() {
        return new Env(System::currentTimeMillis, ZoneId.systemDefault(), System::getenv, System.console() != null,
                Env::realSleep);
    }

    private static boolean realSleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
