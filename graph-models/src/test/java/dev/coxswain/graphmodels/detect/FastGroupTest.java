package dev.coxswain.graphmodels.detect;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FastGroupTest {

    @Test
    void idealLevelStaysAtTheHealthyLevelWhenHalfTheJobIsSlow() {
        Map<String, Double> levels = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            levels.put("w" + i, i < 5 ? 100.0 + i : 150.0 + i);
        }
        FastGroup fast = new FastGroup(levels, 0.25);

        assertThat(fast.level()).isEqualTo(101.0);
        assertThat(fast.members()).containsExactlyInAnyOrder("w0", "w1", "w2");
        // The median of all ten would sit between the two halves and hide the slow ones.
        assertThat(fast.level()).isLessThan(125);
    }

    @Test
    void idealLevelStaysRightWhenThreeQuartersOfTheJobAreSlow() {
        Map<String, Double> levels = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            levels.put("w" + i, i < 2 ? 100.0 : 140.0);
        }
        assertThat(new FastGroup(levels, 0.25).level()).isEqualTo(100.0);
    }

    @Test
    void oneUnusuallyFastWorkerDoesNotSetTheIdealLevel() {
        Map<String, Double> levels = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            levels.put("w" + i, 100.0 + i);
        }
        levels.put("w0", 20.0);

        assertThat(new FastGroup(levels, 0.25).level()).isEqualTo(101.0);
    }

    @Test
    void aSingleWorkerIsItsOwnFastGroup() {
        assertThat(new FastGroup(Map.of("w0", 7.0), 0.25).level()).isEqualTo(7.0);
    }

    @Test
    void rejectsNoWorkersAndNonPositiveLevels() {
        assertThatThrownBy(() -> new FastGroup(Map.of(), 0.25)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FastGroup(Map.of("w0", 0.0), 0.25))
                .hasMessageContaining("w0");
        assertThatThrownBy(() -> new FastGroup(Map.of("w0", 1.0), 0))
                .hasMessageContaining("fraction");
    }
}
