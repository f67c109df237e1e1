package dev.coxswain.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/**
 * Waits for a condition by polling it, with a deadline generous enough for a loaded two-core machine: a test states
 * what it waits for instead of sleeping for a guess, and fails naming it when the deadline passes.
 */
public final class Await {
    /** The deadline tests use unless they have a reason for another. */
    public static final Duration GENEROUS = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@link #GENEROUS}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, GENEROUS, condition);
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code deadline}. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("waited " + deadline.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
