package dev.coxswain.controller.policy;

import dev.coxswain.controller.Jobs;
import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Observer;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StragglerRebalancingTest {
    static final Bounds BOUNDS = new Bounds(1, 65536, 0.75, 8);
    final StragglerRebalancing policy = new StragglerRebalancing(BOUNDS, 0.05, 0.1);

    static JobObservation observe(Jobs job, List<dev.coxswain.core.detection.StragglerEpisode> open) {
        return new Observer(8, 3).observe(job.view(), open, List.of(), job.now()).orElseThrow();
    }

    @Test
    void shiftsBatchAwayFromASlowComputingWorkerKeepingTheGlobalBatch() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(30);
        JobObservation obs = observe(job, List.of(job.episode("w3", "imbalance", 2.0, job.now())));

        Proposal p = policy.propose(obs, JobControl.UNTOUCHED).orElseThrow();

        Map<String, Integer> batches = new java.util.HashMap<>(Map.of("w0", 64, "w1", 64, "w2", 64, "w3", 64));
        p.settings().forEach(s -> batches.put(s.worker().orElseThrow(), s.intValue()));
        assertThat(batches.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(256);
        assertThat(batches.get("w3")).isEqualTo(37);
        assertThat(p.settings()).allMatch(s -> s.knob() == Knob.BATCH_SIZE);
        assertThat(p.suspect()).contains("w3");
        assertThat(p.reason()).contains("w3 computes at 0.50x the median speed", "imbalance", "global batch 256");
        // before: w3's 64 samples at 750/s, 85.3 ms; after: its 37 at 750/s, 49.3 ms; 10 ms overhead each
        assertThat(p.expected().stepTimeMsBefore()).isCloseTo(95.3, within(0.1));
        assertThat(p.expected().stepTimeMsAfter()).isCloseTo(59.3, within(0.1));
    }

    @Test
    void actsOnASlowdownMeasuredInEveryRecentStepWithoutWaitingForTheDetector() {
        // the observer leaves out steps 0-2 (warm-up): steps 3-10 are the 8 it compares
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(10);
        assertThat(policy.propose(observe(job, List.of()), JobControl.UNTOUCHED))
                .as("7 steps after the warm-up are not enough").isEmpty();

        Proposal p = policy.propose(observe(job.run(1), List.of()), JobControl.UNTOUCHED).orElseThrow();
        assertThat(p.suspect()).contains("w3");
        assertThat(p.reason()).contains("w3 computed at 0.50x the median speed", "measured, no detector episode "
                + "yet", "global batch 256 kept");
        assertThat(p.settings()).contains(KnobSetting.worker("w3", Knob.BATCH_SIZE, 37));
    }

    @Test
    void leavesAJobAloneWhenNothingShowsAComputeSideStraggler() {
        Jobs slowOnce = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(20).speed("w3", 1500).run(1)
                .speed("w3", 750).run(5);
        assertThat(policy.propose(observe(slowOnce, List.of()), JobControl.UNTOUCHED))
                .as("one of the recent steps at full speed").isEmpty();
        Jobs mild = new Jobs("j", 4, 64, 1500).speed("w3", 1250).run(30);
        assertThat(policy.propose(observe(mild, List.of()), JobControl.UNTOUCHED))
                .as("1.2x slower: under the measured threshold, left to the detector").isEmpty();
        Jobs warmUp = new Jobs("j", 4, 64, 1500).speed("w3", 300).run(3).speed("w3", 1500).run(20);
        assertThat(policy.propose(observe(warmUp, List.of()), JobControl.UNTOUCHED))
                .as("slow only in the warm-up").isEmpty();
        Jobs even = new Jobs("j", 4, 64, 1500).run(30);
        assertThat(policy.propose(observe(even, List.of(even.episode("w3", "network", 2.0, even.now()))),
                JobControl.UNTOUCHED)).as("a network episode").isEmpty();
    }

    @Test
    void proposesNothingOnceBalanced() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750)
                .batch("w0", 73).batch("w1", 73).batch("w2", 73).batch("w3", 37).run(30);
        JobControl managed = new JobControl(Map.of("w0", 64, "w1", 64, "w2", 64, "w3", 64), Optional.empty(),
                Set.of(), 0);
        assertThat(policy.propose(observe(job, List.of(job.episode("w3", "imbalance", 2, job.now()))), managed))
                .isEmpty();
        assertThat(policy.propose(observe(job, List.of()), managed)).isEmpty();
    }

    @Test
    void givesTheBatchesBackWhenTheStragglerRecovers() {
        Jobs job = new Jobs("j", 4, 64, 1500)
                .batch("w0", 73).batch("w1", 73).batch("w2", 73).batch("w3", 37).run(30);
        JobControl managed = new JobControl(Map.of("w0", 64, "w1", 64, "w2", 64, "w3", 64), Optional.empty(),
                Set.of(), 5000);
        Proposal p = policy.propose(observe(job, List.of()), managed).orElseThrow();
        assertThat(p.settings()).extracting(KnobSetting::intValue).containsOnly(64);
        assertThat(p.settings()).hasSize(4);
        assertThat(p.reason()).contains("even again");
        assertThat(p.suspect()).isEmpty();
    }

    @Test
    void respectsTheMaximumChangePerAction() {
        Jobs job = new Jobs("j", 2, 100, 1000).speed("w1", 100).run(30);
        Bounds tight = new Bounds(1, 65536, 0.5, 8);
        Proposal p = new StragglerRebalancing(tight, 0.05, 0.1)
                .propose(observe(job, List.of(job.episode("w1", "gpu_compute", 10, job.now()))), JobControl.UNTOUCHED)
                .orElseThrow();
        // w1 alone would get 18 of 200; at most halved it keeps 50, and w0 takes the other 150
        assertThat(p.settings()).containsExactlyInAnyOrder(KnobSetting.worker("w0", Knob.BATCH_SIZE, 150),
                KnobSetting.worker("w1", Knob.BATCH_SIZE, 50));
    }

    @Test
    void skipsAsynchronousJobs() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750)
                .event(Optional.empty(), "job.start", Map.of("sync", "asp")).run(30);
        assertThat(policy.propose(observe(job, List.of(job.episode("w3", "imbalance", 2, job.now()))),
                JobControl.UNTOUCHED)).isEmpty();
    }
}
