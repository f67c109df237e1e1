package dev.coxswain.bench;

import dev.coxswain.core.CoxswainException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The benchmarks' one way to wait for a condition outside their process (a child process answering, a consumer
 * group settling, a record in a topic): a probe tried every {@code every} until it gives a value or the time is up.
 */
final class Poll {

    /** Looks once; empty while the condition does not hold yet. */
    @FunctionalInterface
    interface Probe<T> {
        Optional<T> look() throws Exception;
    }

    private Poll() {
    }

    /** What {@code probe} gave first, or empty when it gave nothing within {@code timeout}. */
    static <T> Optional<T> within(Duration timeout, Duration every, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> seen = probe.look();
            if (seen.isPresent() || System.nanoTime() > deadline) {
                return seen;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /**
     * What {@code probe} gave first.
     *
     * @param what     the condition, for the error: {@code "the collectors held every job"}
     * @param lastSeen what was last seen instead, for the error
     * @throws CoxswainException when it gave nothing within {@code timeout}
     */
    static <T> T until(String what, Duration timeout, Duration every, Probe<T> probe, Supplier<String> lastSeen)
            throws Exception {
        return within(timeout, every, probe).orElseThrow(() -> new CoxswainException(what + ": not within "
                + timeout.toSeconds() + " s; " + lastSeen.get()));
    }
}
