package dev.coxswain.core.telemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
