package dev.coxswain.controller.policy;

import dev.coxswain.controller.Jobs;
import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.coxswain.controller.policy.StragglerRebalancingTest.BOUNDS;
import static dev.coxswain.controller.policy.StragglerRebalancingTest.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GoodputTuningTest {
    final GoodputTuning policy = new GoodputTuning(BOUNDS, 0.05);

    /** Four workers of 3,000 samples/s with 256 samples each, reporting gradient noise scale {@code phi}. */
    static Jobs job(double phi, double overheadMs) {
        return new Jobs("j", 4, 256, 3000).overhead(overheadMs)
                .event(Optional.empty(), "job.stats", Map.of("grad_noise_scale", Double.toString(phi)))
                .run(30);
    }

    @Test
    void aSmallNoiseScaleFavoursASmallerBatch() {
        JobObservation obs = observe(job(100, 10), List.of());
        Proposal p = policy.propose(obs, JobControl.UNTOUCHED).orElseThrow();
        assertThat(p.settings()).containsExactly(KnobSetting.job(Knob.GLOBAL_BATCH_SIZE, 512));
        // 512 samples over 12,000 samples/s plus the 10 ms that are not compute
        assertThat(p.expected().stepTimeMsAfter()).isCloseTo(10 + 1000.0 * 512 / 12000, within(0.01));
        assertThat(p.expected().workRatio()).isCloseTo((512.0 / 612) / (1024.0 / 1124), within(1e-9));
        assertThat(p.expected().gain()).isGreaterThan(0.05);
        assertThat(p.reason()).contains("global batch 512", "noise scale 100");
        assertThat(p.suspect()).isEmpty();
    }

    @Test
    void aLargeNoiseScaleAndCostlyStepsFavourALargerBatch() {
        Proposal p = policy.propose(observe(job(100_000, 100), List.of()), JobControl.UNTOUCHED).orElseThrow();
        assertThat(p.settings()).containsExactly(KnobSetting.job(Knob.GLOBAL_BATCH_SIZE, 2048));
    }

    @Test
    void keepsTheBatchWhenNoCandidateGainsEnough() {
        // with cheap steps and a large noise scale every batch gives about the same progress per second
        assertThat(policy.propose(observe(job(100_000, 10), List.of()), JobControl.UNTOUCHED)).isEmpty();
    }

    @Test
    void leavesAloneJobsThatDoNotReportTheNoiseScaleHaveAStragglerOrAreManaged() {
        assertThat(policy.propose(observe(new Jobs("j", 4, 256, 3000).run(30), List.of()), JobControl.UNTOUCHED))
                .isEmpty();
        Jobs slow = job(100, 10);
        assertThat(policy.propose(observe(slow, List.of(slow.episode("w1", "imbalance", 2, slow.now()))),
                JobControl.UNTOUCHED)).isEmpty();
        JobControl rebalanced = new JobControl(Map.of("w0", 256), Optional.empty(), Set.of(), 0);
        assertThat(policy.propose(observe(job(100, 10), List.of()), rebalanced)).isEmpty();
    }

    @Test
    void staysWithinTheBoundsOfOneAction() {
        Bounds tight = new Bounds(200, 65536, 0.25, 8);
        Proposal p = new GoodputTuning(tight, 0.05).propose(observe(job(100, 10), List.of()), JobControl.UNTOUCHED)
                .orElseThrow();
        assertThat(p.settings().getFirst().intValue()).isEqualTo(800);
    }
}
