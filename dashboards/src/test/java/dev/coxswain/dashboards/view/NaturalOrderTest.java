package dev.coxswain.dashboards.view;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NaturalOrderTest {

    @Test
    void ordersEmbeddedNumbersByValue() {
        List<String> names = new ArrayList<>(List.of("n10", "n2", "n1", "gpu:n1/10", "gpu:n1/9", "w-03", "w-2"));
        names.sort(NaturalOrder.INSTANCE);

        assertThat(names).containsExactly("gpu:n1/9", "gpu:n1/10", "n1", "n2", "n10", "w-2", "w-03");
    }

    @Test
    void isConsistentWithEqualsForNamesThatDifferOnlyInLeadingZeros() {
        assertThat(NaturalOrder.INSTANCE.compare("w01", "w1")).isNotZero();
        assertThat(NaturalOrder.INSTANCE.compare("a", "a")).isZero();
        assertThat(NaturalOrder.INSTANCE.compare("a", "a1")).isNegative();
    }
}
