package dev.coxswain.sdk;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Logs a recurring problem at most once per interval, with how often it happened since the last line. */
final class WarningThrottle {
    private final System.Logger logger;
    private final Clock clock;
    private final Duration interval;
    private Instant last = Instant.MIN;
    private long suppressed;

    WarningThrottle(System.Logger logger, Clock clock, Duration interval) {
        this.logger = logger;
        this.clock = clock;
        this.interval = interval;
    }

    synchronized void warn(String message) {
        Instant now = clock.instant();
        if (last != Instant.MIN && now.isBefore(last.plus(interval))) {
            suppressed++;
            return;
        }
        String tail = suppressed > 0 ? " (" + suppressed + " similar in the last " + interval.toSeconds() + " s)" : "";
        logger.log(System.Logger.Level.WARNING, message + tail);
        last = now;
        suppressed = 0;
    }

    synchronized void reset() {
        last = Instant.MIN;
        suppressed = 0;
    }
}
