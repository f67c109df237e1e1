package dev.coxswain.dashboards.view;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadLevelTest {

    @Test
    void bandsUtilisationFromIdleToSaturated() {
        assertThat(LoadLevel.of(0)).isEqualTo(LoadLevel.IDLE);
        assertThat(LoadLevel.of(0.01)).isEqualTo(LoadLevel.LOW);
        assertThat(LoadLevel.of(0.39)).isEqualTo(LoadLevel.LOW);
        assertThat(LoadLevel.of(0.4)).isEqualTo(LoadLevel.MEDIUM);
        assertThat(LoadLevel.of(0.7)).isEqualTo(LoadLevel.HIGH);
        assertThat(LoadLevel.of(0.9)).isEqualTo(LoadLevel.SATURATED);
        assertThat(LoadLevel.of(3.5)).isEqualTo(LoadLevel.SATURATED);
    }

    @Test
    void treatsNaNAndNegativeLoadAsIdle() {
        assertThat(LoadLevel.of(Double.NaN)).isEqualTo(LoadLevel.IDLE);
        assertThat(LoadLevel.of(-1)).isEqualTo(LoadLevel.IDLE);
    }

    @Test
    void labelsAreTheCssClassSuffixes() {
        assertThat(LoadLevel.SATURATED.label()).isEqualTo("saturated");
    }
}
