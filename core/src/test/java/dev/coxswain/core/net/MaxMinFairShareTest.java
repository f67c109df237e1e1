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
    void namesEveryLinkThatBoundsAFlowAndNoneThatAFasterFlowFills() {
        // Flow 0 crosses two equal links, both full with it alone: both bound it. Flow 1 and flow 2 share link 2,
        // which flow 2 also shares with nothing else; link 3 is filled by flow 2 and flow 1 (capped) together.
        MaxMinFairShare s = new MaxMinFairShare(new double[]{4, 4, 6, 5},
                new int[][]{{0, 1}, {2, 3}, {2, 3}}, new double[]{INF, 1, INF});
        assertThat(s.bottlenecks(0)).containsExactlyInAnyOrder(0, 1);
        assertThat(s.bottlenecks(1)).as("capped by itself").isEmpty();
        assertThat(s.bottleneck(2)).isEqualTo(3);
        assertThat(s.bottlenecks(2)).containsExactly(3);
    }

    @Test
    void rejectsAFlowThatNothingBounds() {
        assertThatThrownBy(() -> new MaxMinFairShare(new double[]{INF}, new int[][]{{0}}, new double[]{INF}))
                .hasMessageContaining("bounded by no link");
    }
}
