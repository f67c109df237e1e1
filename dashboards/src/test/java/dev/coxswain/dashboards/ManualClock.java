package dev.coxswain.dashboards;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it (Kafka's {@code MockTime}). Thread-safe: a test thread may
 * advance it while the code under test reads it.
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    /** Moves the clock forward by {@code step} and returns the new time. */
    public Instant advance(Duration step) {
        if (step.isNegative()) {
            throw new IllegalArgumentException("a clock does not run backwards: " + step);
        }
        return now.updateAndGet(t -> t.plus(step));
    }

    /** Sets the clock to {@code instant}, which must not be before the current time. */
    public void set(Instant instant) {
        now.updateAndGet(t -> {
            if (instant.isBefore(t)) {
                throw new IllegalArgumentException("a clock does not run backwards: " + t + " -> " + instant);
            }
            return instant;
        });
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("ManualClock is always UTC");
    }
}
