package dev.coxswain.core.knob;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnobTest {

    @Test
    void checksReturnTheCanonicalForm() {
        assertThat(Knob.BATCH_SIZE.check(64L)).isEqualTo(64);
        assertThat(Knob.BATCH_SIZE.check(64.0)).isEqualTo(64);
        assertThat(Knob.LEARNING_RATE.check(1)).isEqualTo(1.0);
        assertThat(Knob.SYNC_MODE.check("ssp")).isEqualTo("ssp");
        assertThat(Knob.NODE.check("node-7")).isEqualTo("node-7");
    }

    @Test
    void limitsAreInclusiveForIntegersAndOpenBelowForNumbers() {
        assertThat(Knob.BATCH_SIZE.check(1 << 24)).isEqualTo(1 << 24);
        assertThat(Knob.STALENESS.check(0)).isEqualTo(0);
        assertThat(Knob.LEARNING_RATE.check(1e6)).isEqualTo(1e6);
        assertThatThrownBy(() -> Knob.BATCH_SIZE.check((1 << 24) + 1))
                .hasMessage("batch_size: 16777217 is outside [1, 16777216]");
        assertThatThrownBy(() -> Knob.BATCH_SIZE.check(0)).hasMessageContaining("outside [1, 16777216]");
        assertThatThrownBy(() -> Knob.LEARNING_RATE.check(0.0))
                .hasMessage("learning_rate: 0 is not a finite number in (0, 1000000]");
        assertThatThrownBy(() -> Knob.LEARNING_RATE.check(Double.NaN)).isInstanceOf(InvalidKnobValueException.class);
    }

    @Test
    void badTypesNameTheKnob() {
        assertThatThrownBy(() -> Knob.BATCH_SIZE.check(2.5)).hasMessage("batch_size: 2.5 is not an integer");
        assertThatThrownBy(() -> Knob.BATCH_SIZE.check("64")).hasMessage("batch_size: '64' is not an integer");
        assertThatThrownBy(() -> Knob.SYNC_MODE.check("BSP"))
                .hasMessage("sync_mode: 'BSP' is not one of bsp, ssp, asp");
        assertThatThrownBy(() -> Knob.NODE.check("-x")).isInstanceOf(InvalidKnobValueException.class)
                .satisfies(e -> assertThat(((InvalidKnobValueException) e).knob()).isEqualTo("node"));
        assertThatThrownBy(() -> Knob.STALENESS.check(null)).hasMessage("staleness: null is not an integer");
    }

    @Test
    void everyKnobHasAScopeAndAWireName() {
        assertThat(Knob.BATCH_SIZE.scope()).isEqualTo(Knob.Scope.WORKER);
        assertThat(Knob.NODE.scope()).isEqualTo(Knob.Scope.WORKER);
        assertThat(Knob.STALENESS.scope()).isEqualTo(Knob.Scope.JOB);
        for (Knob k : Knob.values()) {
            assertThat(Knob.byWireName(k.wireName())).contains(k);
        }
        assertThat(Knob.byWireName("batch")).isEmpty();
    }
}
