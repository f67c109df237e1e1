package dev.coxswain.controller.policy;

import dev.coxswain.controller.Jobs;
import dev.coxswain.controller.observe.SyncState;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static dev.coxswain.controller.policy.StragglerRebalancingTest.BOUNDS;
import static dev.coxswain.controller.policy.StragglerRebalancingTest.observe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StalenessTuningTest {
    final StalenessTuning policy = new StalenessTuning(BOUNDS, 30_000);

    static Jobs psJob(String sync) {
        return new Jobs("ps", 4, 64, 1500).event(Optional.empty(), "job.start", Map.of("sync", sync));
    }

    @Test
    void switchesBspToSspForAStragglerRebalancingCannotHelp() {
        Jobs job = psJob("bsp").speed("w2", 500).run(30);
        Proposal p = policy.propose(observe(job, List.of(job.episode("w2", "network", 3.0, job.now()))),
                JobControl.UNTOUCHED).orElseThrow();
        assertThat(p.settings()).containsExactly(KnobSetting.job(Knob.SYNC_MODE, "ssp"),
                KnobSetting.job(Knob.STALENESS, 4));
        assertThat(p.reason()).contains("rebalancing cannot help");
        // the job is predicted to step at its median worker's own pace: 64 samples at 1,500/s and 10 ms
        assertThat(p.expected().stepTimeMsAfter()).isCloseTo(1000.0 * 64 / 1500 + 10, within(0.01));
        assertThat(p.expected().stepTimeMsBefore()).isCloseTo(1000.0 * 64 / 500 + 10, within(0.01));
    }

    @Test
    void waitsForRebalancingToFailBeforeTakingOnAComputeStraggler() {
        Jobs job = psJob("bsp").speed("w2", 750).run(30);
        var obs = observe(job, List.of(job.episode("w2", "imbalance", 2.0, job.now())));
        assertThat(policy.propose(obs, JobControl.UNTOUCHED)).isEmpty();
        JobControl failed = new JobControl(Map.of(), Optional.empty(), Set.of(Rung.REBALANCE), 0);
        assertThat(policy.propose(obs, failed)).isPresent();
    }

    @Test
    void neverLowersABoundAndSkipsJobsThatDoNotSayHowTheySync() {
        Jobs job = psJob("ssp(6)").speed("w2", 500).run(30);
        assertThat(policy.propose(observe(job, List.of(job.episode("w2", "network", 3.0, job.now()))),
                JobControl.UNTOUCHED)).isEmpty();
        Jobs allReduce = new Jobs("ar", 4, 64, 1500).speed("w2", 500).run(30);
        assertThat(policy.propose(observe(allReduce, List.of(allReduce.episode("w2", "network", 3, allReduce.now()))),
                JobControl.UNTOUCHED)).isEmpty();
    }

    @Test
    void restoresTheJobsOwnSettingOnceHealthyLongEnough() {
        Jobs job = psJob("bsp").event(Optional.empty(), "knob.applied", Map.of("knob", "sync_mode", "value", "ssp"))
                .event(Optional.empty(), "knob.applied", Map.of("knob", "staleness", "value", "4")).run(30);
        SyncState bsp = new SyncState(Optional.of("bsp"), OptionalInt.of(0));
        assertThat(policy.propose(observe(job, List.of()), new JobControl(Map.of(), Optional.of(bsp), Set.of(),
                10_000))).isEmpty();
        Proposal p = policy.propose(observe(job, List.of()), new JobControl(Map.of(), Optional.of(bsp), Set.of(),
                31_000)).orElseThrow();
        assertThat(p.settings()).containsExactly(KnobSetting.job(Knob.SYNC_MODE, "bsp"),
                KnobSetting.job(Knob.STALENESS, 0));
    }
}
