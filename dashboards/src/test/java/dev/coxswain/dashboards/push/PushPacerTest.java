package dev.coxswain.dashboards.push;

import dev.coxswain.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PushPacerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final PushPacer pacer = new PushPacer(clock, Duration.ofSeconds(1));

    @Test
    void letsTheFirstPushGoAtOnce() {
        assertThat(pacer.delayBeforePush()).isZero();
    }

    @Test
    void holdsTheNextPushUntilTheIntervalHasPassed() {
        pacer.pushed();
        clock.advance(Duration.ofMillis(300));

        assertThat(pacer.delayBeforePush()).isEqualTo(Duration.ofMillis(700));

        clock.advance(Duration.ofMillis(700));
        assertThat(pacer.delayBeforePush()).isZero();
    }

    @Test
    void doesNotOwePushesAfterAQuietSpell() {
        pacer.pushed();
        clock.advance(Duration.ofMinutes(5));
        pacer.pushed();
        clock.advance(Duration.ofMillis(10));

        assertThat(pacer.delayBeforePush()).isEqualTo(Duration.ofMillis(990));
    }
}
