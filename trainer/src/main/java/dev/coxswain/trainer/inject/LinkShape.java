package dev.coxswain.trainer.inject;

import java.time.Duration;

/**
 * How a proxied link behaves: an added one-way latency and a bandwidth cap ({@code bytesPerSec = 0}: none).
 */
public record LinkShape(Duration latency, long bytesPerSec) {
    public static final LinkShape UNSHAPED = new LinkShape(Duration.ZERO, 0);

    public LinkShape {
        if (latency == null || latency.isNegative() || bytesPerSec < 0) {
            throw new IllegalArgumentException("LinkShape: latency " + latency + ", " + bytesPerSec + " B/s");
        }
    }
}
