package dev.coxswain.core.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MedianTest {
    @Test
    void theMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Median.of(3, 1, 2)).isEqualTo(2);
        assertThat(Median.of(4, 1, 3, 2)).isEqualTo(2.5);
        assertThat(Median.of(List.of(5.0, 1.0))).isEqualTo(3);
    }

    @Test
    void nanValuesAreLeftOutAndNothingLeftIsNan() {
        assertThat(Median.of(1, Double.NaN, 3, Double.NaN, 2)).isEqualTo(2);
        assertThat(Median.of(Double.NaN)).isNaN();
        assertThat(Median.of()).isNaN();
    }

    @Test
    void ofTheFirstNValuesOnly() {
        assertThat(Median.of(new double[]{9, 1, 100, -50}, 2)).isEqualTo(5);
    }
}
