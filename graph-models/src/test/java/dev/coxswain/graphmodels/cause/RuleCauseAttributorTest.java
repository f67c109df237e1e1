package dev.coxswain.graphmodels.cause;

import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleCauseAttributorTest {

    private final RuleCauseAttributor rules = new RuleCauseAttributor();
    private final FeatureVector slow = FeatureVector.empty().with(Feature.STEP_RATIO, 1.4);

    @Test
    void throttleReasonOrClockDropMeansGpuCompute() {
        assertThat(rules.attribute(slow.with(Feature.THROTTLED_FRACTION, 0.8)).cause()).isEqualTo(Cause.GPU_COMPUTE);
        assertThat(rules.attribute(slow.with(Feature.SM_CLOCK_RATIO, 0.75)).cause()).isEqualTo(Cause.GPU_COMPUTE);
    }

    @Test
    void largerBatchMeansImbalance() {
        assertThat(rules.attribute(slow.with(Feature.BATCH_RATIO, 1.5)).cause()).isEqualTo(Cause.IMBALANCE);
    }

    @Test
    void theComponentThatExplainsTheExcessNamesTheCause() {
        FeatureVector wait = slow.with(Feature.WAIT_SHARE, 0.8).with(Feature.COMM_SHARE, 0.1)
                .with(Feature.COMPUTE_SHARE, 0.1);
        FeatureVector comm = slow.with(Feature.WAIT_SHARE, 0.0).with(Feature.COMM_SHARE, 0.9)
                .with(Feature.COMPUTE_SHARE, 0.1);
        FeatureVector compute = slow.with(Feature.WAIT_SHARE, 0.0).with(Feature.COMM_SHARE, 0.0)
                .with(Feature.COMPUTE_SHARE, 1.0);

        assertThat(rules.attribute(wait).cause()).isEqualTo(Cause.HOST_CONTENTION);
        assertThat(rules.attribute(comm).cause()).isEqualTo(Cause.NETWORK);
        assertThat(rules.attribute(compute).cause()).isEqualTo(Cause.IMBALANCE);
        assertThat(rules.attribute(compute.with(Feature.CPU_UTIL_DELTA, 50)).cause())
                .isEqualTo(Cause.HOST_CONTENTION);
    }

    @Test
    void withoutTheSplitNeighboursAndHostLoadDecide() {
        assertThat(rules.attribute(slow.with(Feature.CPU_UTIL_DELTA, 40)).cause()).isEqualTo(Cause.HOST_CONTENTION);
        assertThat(rules.attribute(slow.with(Feature.SWITCH_PEERS_SLOW, 0.75)).cause()).isEqualTo(Cause.NETWORK);
        assertThat(rules.attribute(slow.with(Feature.SLOW_SINCE_START, 1)).cause()).isEqualTo(Cause.IMBALANCE);
    }

    @Test
    void nothingToGoOnIsUnknown() {
        Attribution a = rules.attribute(slow.with(Feature.SLOW_SINCE_START, 0));
        assertThat(a.cause()).isEqualTo(Cause.UNKNOWN);
        assertThat(a.confidence()).isZero();
    }
}
