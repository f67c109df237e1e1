package dev.coxswain.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it (Kafka's {@code MockTime}): inject it where code takes a
 * {@link Clock} and step time with {@link #advance}. Thread-safe, so a test thread may move it while the code under
 * test reads it on another.
 */
public final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public MutableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at 2025-01-01T00:00:00Z, a fixed date inside every record's plausible range. */
    public static MutableClock atFixedStart() {
        return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    }

    public void advance(Duration step) {
        now.updateAndGet(t -> t.plus(step));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view on the same time in another zone; moving either moves both. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(now, zone);
    }
}
