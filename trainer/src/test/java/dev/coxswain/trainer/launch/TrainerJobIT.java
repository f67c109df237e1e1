package dev.coxswain.trainer.launch;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.sdk.KnobRejectedException;
import dev.coxswain.sdk.Knobs;
import dev.coxswain.testkit.Await;
import dev.coxswain.trainer.coord.CoordinatorListener;
import dev.coxswain.trainer.coord.SspInvariantChecker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real (small) training jobs: workers, shards and coordinator on loopback HTTP, with the in-test agent. */
class TrainerJobIT {
    @TempDir
    Path work;
    private JobFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new JobFixture();
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aBspJobLearnsReportsEveryStepAndLandsEveryUpdateOnce() throws Exception {
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.max.clocks=60"));
        // the job's clock, an hour behind this machine's: its events carry its time (the agent stamps memberships)
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        JobResult r;
        try (TrainerJob job = fixture.start(spec, new CoordinatorListener() {
        }, clock)) {
            r = job.await(Duration.ofMinutes(2));
        }
        assertThat(r.clocks()).containsOnly(60);
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.appliedUpdates()).isEqualTo(2L * 4 * 60);
        assertThat(r.curve().getFirst().accuracy()).isLessThan(r.finalEval().accuracy());
        assertThat(r.finalEval().accuracy()).as("on 1000 test images after 60 steps").isGreaterThan(0.65);
        fixture.client.flush(Duration.ofSeconds(5));
        fixture.agent.drain();
        List<StepReport> steps = fixture.agent.steps();
        assertThat(steps).hasSize(4 * 60);
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.batchSize()).isEqualTo(32);
            assertThat(s.loss()).isPresent();
            assertThat(s.gradient()).isPresent();
        });
        assertThat(fixture.agent.memberships()).isNotEmpty();
        assertThat(fixture.agent.memberships().getFirst().members()).hasSize(2 + 4);
        Instant late = Instant.now().minus(Duration.ofMinutes(50));
        assertThat(fixture.agent.events()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.timestamp()).isBetween(hourAgo, late));
    }

    @Test
    void sspWithAStragglerNeverExceedsTheBoundAndTheStragglerIsReallySlower() throws Exception {
        // an emulated accelerator (10 ms a batch) so that the compute times compared below are not the CPU's: on two
        // shared cores a fast worker descheduled mid-step would otherwise look as slow as the straggler
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.sync.mode=ssp", "trainer.staleness=2",
                "trainer.device.samples.per.sec=3200", "trainer.inject=0s w3 slowdown factor=3"));
        SspInvariantChecker checker = new SspInvariantChecker(spec.workerIds());
        try (TrainerJob job = fixture.start(spec, checker, Clock.systemUTC())) {
            assertThat(job.await(Duration.ofMinutes(2)).lostUpdates()).isZero();
        }
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.maxLead()).isEqualTo(2);
        fixture.client.flush(Duration.ofSeconds(5));
        fixture.agent.drain();
        double slow = meanOf(fixture.agent.steps(), "w3", StepReport::computeMs);
        double fast = meanOf(fixture.agent.steps(), "w0", StepReport::computeMs);
        assertThat(slow / fast).as("injected slowdown seen in the step reports").isGreaterThan(2.0);
        assertThat(fixture.agent.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("injection.start");
            assertThat(e.workerId()).contains("w3");
            assertThat(e.attributes()).containsEntry("fault", "slowdown").containsEntry("factor", "3.0");
        });
    }

    @Test
    void anInputStallIsReportedAsInputWaitAndItsPeersWaitForIt() throws Exception {
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.inject=0s w1 input ms=40"));
        try (TrainerJob job = fixture.start(spec)) {
            job.await(Duration.ofMinutes(2));
        }
        fixture.client.flush(Duration.ofSeconds(5));
        fixture.agent.drain();
        List<StepReport> steps = fixture.agent.steps();
        assertThat(meanOf(steps, "w1", TrainerJobIT::inputWait)).as("w1's input wait").isGreaterThan(35);
        assertThat(meanOf(steps, "w0", TrainerJobIT::inputWait)).as("w0's input wait").isLessThan(15);
        assertThat(meanOf(steps, "w0", StepReport::waitMs)).as("w0 waits at the barrier for w1").isGreaterThan(25);
        assertThat(fixture.agent.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("injection.start");
            assertThat(e.attributes()).containsEntry("fault", "input").containsEntry("stall_ms", "40");
        });
    }

    /** The part of a step outside compute, communication and the wait for peers. */
    private static double inputWait(StepReport s) {
        return s.stepTimeMs() - s.computeMs() - s.commMs() - s.waitMs();
    }

    private static double meanOf(List<StepReport> steps, String worker,
                                 ToDoubleFunction<StepReport> f) {
        return steps.stream().filter(s -> s.workerId().equals(worker) && s.step() > 5).mapToDouble(f).average()
                .orElseThrow();
    }


    @Test
    void aBatchKnobSetThroughTheAgentTakesEffectWithinTwoSteps() throws Exception {
        // Two workers with realistic batches and step times (emulated devices: 128 samples in 100 ms; on the CPU
        // alone a step takes a few ms, less than the scheduling delays of a loaded machine; at 50 ms a step, a machine
        // busy with two other JVMs once saw the knob land a third step late), changed once warm.
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.max.clocks=400", "trainer.workers=2",
                "trainer.batch.per.worker=128", "trainer.device.samples.per.sec=1280"));
        try (TrainerJob job = fixture.start(spec)) {
            Await.until("w1 to end clock 20", Duration.ofMinutes(2), () -> job.status().ended()[1] >= 20);
            long version = fixture.client.setKnobs(spec.jobId(), Optional.of("w1"), Knobs.none().withBatchSize(48));
            Instant changed = Instant.now();
            long endedAtChange = job.status().ended()[1];
            Await.until("w1 to end 4 more clocks", Duration.ofMinutes(2),
                    () -> job.status().ended()[1] >= endedAtChange + 4);
            job.stop("test done");
            job.await(Duration.ofMinutes(1));
            fixture.client.flush(Duration.ofSeconds(5));
            fixture.agent.drain();
            List<StepReport> w1 = fixture.agent.steps().stream().filter(s -> s.workerId().equals("w1")).toList();
            long firstNew = w1.stream().filter(s -> s.batchSize() == 48).mapToLong(StepReport::step).min()
                    .orElseThrow();
            assertThat(firstNew).as("first step with the new batch; %d steps were done when it was set at %s",
                    endedAtChange, changed).isLessThanOrEqualTo(endedAtChange + 2);
            assertThat(w1).filteredOn(s -> s.step() > firstNew).allMatch(s -> s.batchSize() == 48);
            assertThat(fixture.agent.events()).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo("knob.applied");
                assertThat(e.attributes()).containsEntry("knob", "batch_size").containsEntry("value", "48")
                        .containsEntry("version", Long.toString(version));
            });
        }
    }

    @Test
    void aMalformedKnobChangeIsRejectedWithAClearErrorAndTheJobKeepsRunning() throws Exception {
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.max.clocks=50"));
        try (TrainerJob job = fixture.start(spec)) {
            Await.until("w0 to end clock 5", Duration.ofMinutes(2), () -> job.status().ended()[0] >= 5);
            assertThatThrownBy(() -> fixture.client.setKnobsJson(spec.jobId(),
                    "{\"worker\": \"w2\", \"knobs\": {\"batch_size\": \"lots\"}}"))
                    .isInstanceOf(KnobRejectedException.class).hasMessageContaining("batch_size");
            fixture.client.setKnobs(spec.jobId(), Optional.empty(), Knobs.none().withGlobalBatchSize(2));
            JobResult r = job.await(Duration.ofMinutes(2));
            assertThat(r.clocks()).containsOnly(50);
            assertThat(r.lostUpdates()).isZero();
        }
        fixture.client.flush(Duration.ofSeconds(5));
        fixture.agent.drain();
        List<JobEvent> rejected = fixture.agent.events().stream().filter(e -> e.kind().equals("knob.rejected"))
                .toList();
        assertThat(rejected).isNotEmpty().allSatisfy(e -> assertThat(e.attributes())
                .containsEntry("knob", "global_batch_size").extractingByKey("reason").asString()
                .contains("global batch 2 is outside"));
        assertThat(fixture.agent.steps()).allMatch(s -> s.batchSize() == 32);
    }

    @Test
    void aNodeKnobMovesAWorkerWithoutLosingAnUpdate() throws Exception {
        TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.max.clocks=60",
                "trainer.sync.mode=ssp", "trainer.staleness=1"));
        JobResult r;
        try (TrainerJob job = fixture.start(spec)) {
            Await.until("w2 to end clock 10", Duration.ofMinutes(2), () -> job.status().ended()[2] >= 10);
            fixture.client.setKnobs(spec.jobId(), Optional.of("w2"), Knobs.none().withNode("node-z"));
            r = job.await(Duration.ofMinutes(2));
        }
        assertThat(r.clocks()).containsOnly(60);
        assertThat(r.lostUpdates()).isZero();
        assertThat(r.restarts()).isEqualTo(1);
        fixture.client.flush(Duration.ofSeconds(5));
        fixture.agent.drain();
        assertThat(fixture.agent.events()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("worker.migrate");
            assertThat(e.attributes()).containsEntry("to", "node-z");
        });
        assertThat(fixture.agent.memberships().getLast().members())
                .anySatisfy(m -> {
                    assertThat(m.workerId()).isEqualTo("w2");
                    assertThat(m.nodeId()).isEqualTo("node-z");
                });
        assertThat(fixture.agent.steps().stream().filter(s -> s.workerId().equals("w2")).map(StepReport::step)
                .distinct().count()).isEqualTo(60);
    }
}
