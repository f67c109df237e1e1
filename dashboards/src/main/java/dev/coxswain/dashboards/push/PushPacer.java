package dev.coxswain.dashboards.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Spaces live updates: the first push goes at once, each later one at least {@code interval} after the previous.
 * Not thread-safe: owned by the dashboard's event loop.
 */
public final class PushPacer {
    private final Clock clock;
    private final Duration interval;
    private Instant lastPush;

    public PushPacer(Clock clock, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("push interval must not be negative, got " + interval);
        }
    }

    /** {@link Duration#ZERO} when a push may go now, else how long until it may. */
    public Duration delayBeforePush() {
        if (lastPush == null) {
            return Duration.ZERO;
        }
        Duration since = Duration.between(lastPush, clock.instant());
        return since.compareTo(interval) >= 0 ? Duration.ZERO : interval.minus(since);
    }

    /** Records that a push went now. */
    public void pushed() {
        lastPush = clock.instant();
    }
}
