package dev.coxswain.testkit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.fail;

/**
 * Waits for a condition by polling it, with a deadline generous enough for a loaded two-core machine: a test states
 * what it waits for instead of sleeping for a guess, and fails naming it when the deadline passes. A condition may
 * do I/O (an HTTP get of a dashboard, say); an exception from it fails the wait at once. Polls come 10 ms apart at
 * first, backing off to 250 ms, so that a long wait does not keep the machine busy.
 */
public final class Await {
    /** The deadline tests use unless they have a reason for another. */
    public static final Duration GENEROUS = Duration.ofSeconds(30);
    /** The first poll comes this soon after the first look, later ones up to {@link #MAX_POLL_MILLIS} apart. */
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 250;

    /** What a test waits for. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** What a test waits to be present. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> look() throws Exception;
    }

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@link #GENEROUS}. */
    public static void until(String what, Condition condition) {
        until(what, GENEROUS, condition);
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code deadline}. */
    public static void until(String what, Duration deadline, Condition condition) {
        value(what, deadline, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls {@code probe} until it finds a value, and returns it; fails with {@code what} after {@code deadline}. */
    public static <T> T value(String what, Duration deadline, Probe<T> probe) {
        return value(what, deadline, probe, () -> "");
    }

    /** As {@link #value(String, Duration, Probe)}; a failure also says what {@code lastSeen} gives then. */
    public static <T> T value(String what, Duration deadline, Probe<T> probe, Callable<?> lastSeen) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            Optional<T> found;
            try {
                found = probe.look();
            } catch (Exception e) {
                throw new AssertionError("failed while waiting for " + what + ": " + e, e);
            }
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > end) {
                String seen;
                try {
                    seen = String.valueOf(lastSeen.call());
                } catch (Exception e) {
                    seen = "(" + e + ")";
                }
                fail("waited " + deadline.toSeconds() + " s for " + what + (seen.isEmpty() ? "" : "; last seen: " + seen));
            }
            try {
                Thread.sleep(pause);
                pause = Math.min(MAX_POLL_MILLIS, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
