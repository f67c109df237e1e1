package dev.coxswain.core.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

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
    void aTimeIsJudgedAgainstTheInjectedClock() throws Exception {
        Instant inTenDays = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MICROS);
        assertThatThrownBy(() -> Check.time("StepReport.timestamp", inTenDays))
                .hasMessageContaining("outside 2000-01-01 .. now + 1 day");
        try (AutoCloseable simulated = Check.useClock(Clock.fixed(inTenDays, ZoneOffset.UTC))) {
            assertThat(Check.time("StepReport.timestamp", inTenDays)).isEqualTo(inTenDays);
        }
        assertThatThrownBy(() -> Check.time("StepReport.timestamp", inTenDays)).as("the system clock again")
                .hasMessageContaining("now + 1 day");
    }
}
