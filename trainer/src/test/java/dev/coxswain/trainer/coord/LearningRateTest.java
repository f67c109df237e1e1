package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.LrScaling;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LearningRateTest {

    @Test
    void followsTheGlobalBatchByTheChosenRule() {
        GradientNoise none = new GradientNoise(0.5);
        assertThat(new LearningRate(0.1, 256, LrScaling.NONE).at(1024, none)).isEqualTo(0.1);
        assertThat(new LearningRate(0.1, 256, LrScaling.LINEAR).at(1024, none)).isCloseTo(0.4, within(1e-12));
        assertThat(new LearningRate(0.1, 256, LrScaling.SQRT).at(1024, none)).isCloseTo(0.2, within(1e-12));
        assertThat(new LearningRate(0.1, 256, LrScaling.ADASCALE).at(1024, none)).isEqualTo(0.1);
    }

    @Test
    void adaScaleGainGrowsWithGradientNoiseBetweenOneAndTheScale() {
        GradientNoise noisy = new GradientNoise(1.0);
        noisy.observe(1.0 + 1000.0 / 64, 1000.0, 64);
        GradientNoise quiet = new GradientNoise(1.0);
        quiet.observe(1.0 + 0.01 / 64, 0.01, 64);
        LearningRate lr = new LearningRate(0.1, 256, LrScaling.ADASCALE);
        assertThat(noisy.sqNorm()).isCloseTo(1.0, within(1e-9));
        assertThat(noisy.noiseScale()).isCloseTo(1000.0, within(1e-6));
        assertThat(lr.at(1024, noisy)).isCloseTo(0.1 * (1000.0 / 256 + 1) / (1000.0 / 1024 + 1), within(1e-9));
        assertThat(lr.at(1024, quiet)).isBetween(0.1, 0.1001);
    }
}
