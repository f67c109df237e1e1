package dev.coxswain.agent;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a recurring warning at most once per interval, with the number of occurrences suppressed since the last
 * line, so that a broker outage or a broken tool output cannot flood the log. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final Clock clock;
    private final long intervalMs;
    private final AtomicLong nextAllowedMs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.intervalMs = interval.toMillis();
    }

    /**
     * Logs {@code message} (an SLF4J pattern) at WARN unless one was logged less than the interval ago.
     *
     * @return whether the line was written
     */
    public boolean warn(String message, Object... args) {
        long now = clock.millis();
        long next = nextAllowedMs.get();
        if (now < next || !nextAllowedMs.compareAndSet(next, now + intervalMs)) {
            suppressed.incrementAndGet();
            return false;
        }
        long skipped = suppressed.getAndSet(0);
        if (skipped > 0) {
            log.warn(message + " ({} similar messages suppressed)", append(args, skipped));
        } else {
            log.warn(message, args);
        }
        return true;
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = new Object[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = last;
        return all;
    }
}
