package dev.coxswain.whatif.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RingCommModelTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static RingCommModel.Links links(double pair) {
        return new RingCommModel.Links(10e9, 1e9, 50e9, pair, 0, 0, 0, 0);
    }

    @Test
    void twoNodeRingSharesTheHostPairBothWaysWhileLongerRingsDoNot() {
        // Pair capacity 1.3 GB/s, flow limit 1 GB/s: two nodes get 0.65 GB/s per hop, three or four get 1 GB/s.
        RingCommModel.RingRate two = RingCommModel.rate(Placement.parse("11"), links(1.3e9));
        RingCommModel.RingRate three = RingCommModel.rate(Placement.parse("111"), links(1.3e9));
        RingCommModel.RingRate four = RingCommModel.rate(Placement.parse("2222"), links(1.3e9));
        assertThat(two.bytesPerSec()).isCloseTo(0.65e9, within(1.0));
        assertThat(two.bottleneckKind()).isEqualTo(RingCommModel.RingRate.PAIR);
        assertThat(three.bytesPerSec()).isCloseTo(1e9, within(1.0));
        assertThat(three.bottleneckKind()).isEqualTo(RingCommModel.RingRate.FLOW_CAP);
        assertThat(four.bytesPerSec()).isCloseTo(1e9, within(1.0));
    }

    @Test
    void ringTimeIsTwoTimesNMinusOneOverNOfTheGradientOverTheRate() {
        RingCommModel m = new RingCommModel(1_000_000_000L, 25L << 20);
        // One node, four GPUs at 10 GB/s: 2 * 3/4 * 1 GB / 10 GB/s = 0.15 s.
        assertThat(m.seconds(Placement.parse("4"), links(INF))).isCloseTo(0.15, within(1e-9));
        assertThat(m.seconds(Placement.parse("1"), links(INF))).isZero();
    }
}
