package dev.coxswain.controller.policy;

import dev.coxswain.controller.Jobs;
import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Observer;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MigrationTest {
    static final Slot SPARE = new Slot("node-e", OptionalInt.empty(), 1);
    static final Map<String, Integer> EVEN = Map.of("w0", 64, "w1", 64, "w2", 64, "w3", 64);
    /** What the rebalancing policy gave a job whose w3 computes at half speed: w3 37, the others 73. */
    static final JobControl REBALANCED = new JobControl(EVEN, Optional.empty(), Set.of(), 0);
    final Migration policy = new Migration(new StepModelScorer(), 0.05, 10_000);

    /** w3 at half speed on node-d, rebalanced, its episode confirmed {@code ago} before the latest step. */
    static Jobs rebalancedJob() {
        return new Jobs("j", 4, 73, 1500).batch("w3", 37).speed("w3", 750)
                .onNodes("node-a", "node-b", "node-c", "node-d").run(30);
    }

    static JobObservation observe(Jobs job, Duration ago, List<Slot> free) {
        Instant confirmed = job.now().minus(ago);
        StragglerEpisode e = job.episode("w3", "imbalance", 2.0, confirmed);
        return new Observer(8, 3).observe(job.view(), List.of(e), free, job.now()).orElseThrow();
    }

    @Test
    void movesARebalancedSlowDeviceToASpareOnceItHasCostMoreThanAMove() {
        Jobs job = rebalancedJob();
        // the rebalanced step: w3's 37 samples at 750/s (49.3 ms) or the others' 73 at 1,500/s (48.7 ms), + 10 ms;
        // moved and even: 64 at 1,500/s, 42.7 ms + 10 ms. The move saves 10% of each step: 100 s of rent is 10 s.
        JobObservation obs = observe(job, Duration.ofSeconds(120), List.of(SPARE));

        Proposal p = policy.propose(obs, REBALANCED).orElseThrow();

        assertThat(p.rung()).isEqualTo(Rung.MIGRATE);
        assertThat(p.suspect()).contains("w3");
        assertThat(p.settings()).as("only the move: a job that cannot move refuses it and nothing else changes")
                .containsExactly(KnobSetting.worker("w3", Knob.NODE, "node-e"));
        assertThat(p.expected().stepTimeMsBefore()).isCloseTo(1000.0 * 37 / 750 + 10, within(1e-6));
        // verified against the move alone: w3's 37 samples at full speed, the others' 73 now set the step
        assertThat(p.expected().stepTimeMsAfter()).isCloseTo(1000.0 * 73 / 1500 + 10, within(1e-6));
        assertThat(p.evidence()).containsEntry("w3.speed_ratio", 0.5).containsEntry("migration_cost_ms", 10_000.0)
                .containsEntry("predicted_step_ms", Math.round((1000.0 * 64 / 1500 + 10) * 10) / 10.0);
        assertThat(p.evidence().get("lost_ms")).isGreaterThan(10_000);
        assertThat(p.reason()).contains("w3 on node-d computes at 0.50x its peers' speed", "after rebalancing",
                "move it to node-e", "once its batches are restored");
    }

    @Test
    void keepsPayingTheRentWhileTheTimeLostIsBelowTheCostOfAMove() {
        Jobs job = rebalancedJob();
        assertThat(policy.propose(observe(job, Duration.ofSeconds(60), List.of(SPARE)), REBALANCED))
                .as("11% of 60 s is under 7 s, less than the 10 s a move costs").isEmpty();
    }

    @Test
    void climbsTheLadderOnlyAfterRebalancing() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).onNodes("node-a", "node-b", "node-c", "node-d")
                .run(30);
        JobObservation obs = observe(job, Duration.ofMinutes(10), List.of(SPARE));
        assertThat(policy.propose(obs, JobControl.UNTOUCHED)).as("rebalancing not tried yet").isEmpty();
        JobControl rebalanceFailed = new JobControl(Map.of(), Optional.empty(), Set.of(Rung.REBALANCE), 0);
        Proposal p = policy.propose(obs, rebalanceFailed).orElseThrow();
        assertThat(p.settings()).containsExactly(KnobSetting.worker("w3", Knob.NODE, "node-e"));
        Jobs async = new Jobs("j", 4, 64, 1500).event(Optional.empty(), "job.start", Map.of("sync", "asp"))
                .speed("w3", 750).onNodes("node-a", "node-b", "node-c", "node-d").run(30);
        assertThat(policy.propose(observe(async, Duration.ofMinutes(10), List.of(SPARE)), rebalanceFailed))
                .as("the step model is for synchronous jobs").isEmpty();
    }

    @Test
    void picksTheSlotTheScorerRanksBestAndNeverTheWorkersOwnNode() {
        Jobs job = rebalancedJob();
        Slot throttled = new Slot("node-f", OptionalInt.of(0), 0.6);
        Slot healthy = new Slot("node-g", OptionalInt.of(3), 1);
        Slot own = new Slot("node-d", OptionalInt.of(1), 1);
        Proposal p = policy.propose(observe(job, Duration.ofMinutes(10), List.of(own, throttled, healthy)),
                REBALANCED).orElseThrow();
        assertThat(p.settings().getFirst()).isEqualTo(KnobSetting.worker("w3", Knob.NODE, "node-g"));
        assertThat(policy.propose(observe(job, Duration.ofMinutes(10), List.of(own, throttled)), REBALANCED))
                .as("on a GPU at 0.6 of its clock w3 would gain too little; its own node is no move").isEmpty();
    }

    @Test
    void doesNotMoveWithoutAFreeSlotAKnownNodeOrACauseAMoveCures() {
        Jobs job = rebalancedJob();
        assertThat(policy.propose(observe(job, Duration.ofMinutes(10), List.of()), REBALANCED)).isEmpty();
        JobObservation network = new Observer(8, 3).observe(job.view(),
                List.of(job.episode("w3", "network", 2.0, job.now().minusSeconds(600))), List.of(SPARE), job.now())
                .orElseThrow();
        assertThat(policy.propose(network, REBALANCED)).as("the step model knows nothing of links").isEmpty();
        Jobs nowhere = new Jobs("j", 4, 73, 1500).batch("w3", 37).speed("w3", 750).run(30);
        assertThat(policy.propose(observe(nowhere, Duration.ofMinutes(10), List.of(SPARE)), REBALANCED))
                .as("the job never said where its workers run").isEmpty();
        Jobs cured = new Jobs("j", 4, 64, 1500).onNodes("node-a", "node-b", "node-c", "node-d").run(30);
        assertThat(policy.propose(observe(cured, Duration.ofMinutes(10), List.of(SPARE)), REBALANCED))
                .as("w3 computes as fast as its peers again").isEmpty();
    }
}
