package dev.coxswain.core.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MaxMinFairShareTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * The textbook case (Bertsekas and Gallager, Data Networks, 6.5.2), by hand: links A (cap 10) and B (cap 4).
     * Flow 0 crosses A and B, flow 1 only B, flow 2 and 3 only A. B is the first bottleneck: flows 0 and 1 get 2
     * each; A has 10 - 2 = 8 left for flows 2 and 3: 4 each.
     */
    @Test
    void sharesTheTightestLinkFirstThenTheRest() {
        MaxMinFairShare s = new MaxMinFairShare(new double[]{10, 4},
                new int[][]{{0, 1}, {1}, {0}, {0}}, new double[]{INF, INF, INF, INF});
        assertThat(s.rates()).containsExactly(new double[]{2, 2, 4, 4}, within(1e-9));
        assertThat(s.bottleneck(0)).isEqualTo(1);
        assertThat(s.bottleneck(2)).isEqualTo(0);
    }

    @Test
    void givesUnusedShareOfACappedFlowToTheOthers() {
        MaxMinFairShare s = new MaxMinFairShare(new double[]{9}, new int[][]{{0}, {0}, {0}}, new double[]{1, INF, INF});
        assertThat(s.rates()).containsExactly(new double[]{1, 4, 4}, within(1e-9));
        assertThat(s.bottleneck(0)).isEqualTo(-1);
    }

    @Test
    void chargesACoflowOnceForEveryTimeItCrossesALink() {
        // A ring of two hops over the same link (both directions of a host pair) gets half of it.
        MaxMinFairShare s = new MaxMinFairShare(new double[]{6}, new int[][]{{0, 0}}, new double[]{INF});
        assertThat(s.rate(0)).isCloseTo(3, within(1e-9));
    }

    @Test
    void rejectsAFlowThatNothingBounds() {
        assertThatThrownBy(() -> new MaxMinFairShare(new double[]{INF}, new int[][]{{0}}, new double[]{INF}))
                .hasMessageContaining("bounded by no link");
    }
}
