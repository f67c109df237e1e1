package dev.coxswain.core.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckTest {
    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @Test
    void identifiersStartWithAnAsciiLetterOrDigitAndContinueWithTheListedPunctuation() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(Check.isIdentifier(String.valueOf(c))).as("first char %d", (int) c).isEqualTo(alnum(c));
            assertThat(Check.isIdentifier("a" + c)).as("later char %d", (int) c)
                    .isEqualTo(alnum(c) || ".-_:/@+=".indexOf(c) >= 0);
        }
    }

    @Test
    void identifiersAreOneTo128Characters() {
        assertThat(Check.isIdentifier("")).isFalse();
        assertThat(Check.isIdentifier("a".repeat(128))).isTrue();
        assertThat(Check.isIdentifier("a".repeat(129))).isFalse();
    }

    @Test
    void aTimeIsJudgedAgainstTheReceiversClock() {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        Clock receiver = Clock.fixed(now, ZoneOffset.UTC);
        Check.notAhead("StepReport.timestamp", now.plus(Duration.ofHours(23)), receiver);
        assertThatThrownBy(() -> Check.notAhead("StepReport.timestamp", now.plus(Duration.ofDays(2)), receiver))
                .hasMessageContaining("StepReport.timestamp").hasMessageContaining("more than a day ahead");
        assertThat(Check.time("StepReport.timestamp", now.plus(Duration.ofDays(3650)))).as("fixed bounds only")
                .isEqualTo(now.plus(Duration.ofDays(3650)));
        assertThatThrownBy(() -> Check.time("StepReport.timestamp", Instant.parse("1999-12-31T23:59:59Z")))
                .hasMessageContaining("outside 2000-01-01 .. 2200-01-01");
    }
}
