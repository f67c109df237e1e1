package dev.coxswain.whatif.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {
    @Test
    void readsOneDigitPerNode() {
        Placement p = Placement.parse("1344");
        assertThat(p.nodes()).isEqualTo(4);
        assertThat(p.replicas()).isEqualTo(12);
        assertThat(p.maxPerNode()).isEqualTo(4);
        assertThat(p).hasToString("1344");
    }

    @Test
    void rejectsZeroAndLettersNamingTheCharacter() {
        assertThatThrownBy(() -> Placement.parse("104")).hasMessageContaining("character 2 is '0'");
        assertThatThrownBy(() -> Placement.parse("a")).hasMessageContaining("character 1");
        assertThatThrownBy(() -> Placement.parse("")).hasMessageContaining("empty");
    }
}
