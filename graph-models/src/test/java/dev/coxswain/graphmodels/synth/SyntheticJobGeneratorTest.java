package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticJobGeneratorTest {

    private static List<LabelledJob> jobs(long seed) {
        return new SyntheticJobGenerator(SynthConfig.standard(40), new Random(seed)).generate("s");
    }

    @Test
    void theSameSeedGivesTheSameJobs() {
        assertThat(jobs(3)).isEqualTo(jobs(3));
        assertThat(jobs(3)).isNotEqualTo(jobs(4));
    }

    @Test
    void everyCauseAppearsAndLabelledStragglersAreAtLeastTwelvePercentSlower() {
        Set<Cause> seen = EnumSet.noneOf(Cause.class);
        for (LabelledJob job : jobs(1)) {
            job.truth().values().forEach(list -> list.forEach(t -> {
                seen.add(t.cause());
                if (t.cause() != Cause.NONE) {
                    assertThat(t.slowdown()).isGreaterThanOrEqualTo(1.11);
                } else {
                    assertThat(t.slowdown()).isBetween(0.9, 1.1);
                }
            }));
        }
        assertThat(seen).containsExactlyInAnyOrder(Cause.NONE, Cause.GPU_COMPUTE, Cause.HOST_CONTENTION,
                Cause.NETWORK, Cause.IMBALANCE);
    }

    @Test
    void someJobsLackTelemetryColumnsButStepTimesAreAlwaysThere() {
        int withClock = 0;
        int withoutClock = 0;
        for (LabelledJob job : jobs(2)) {
            WorkerSeries w = job.window().workers().getFirst();
            WorkerSample s = w.samples().getFirst();
            assertThat(s.ownStepMs()).isPositive();
            if (s.signals().get(Signal.SM_CLOCK_MHZ).isPresent()) {
                withClock++;
            } else {
                withoutClock++;
            }
        }
        assertThat(withClock).isGreaterThan(withoutClock);
        assertThat(withoutClock).isPositive();
    }

    @Test
    void aNetworkEpisodeSlowsEveryWorkerBehindTheSameNicOrSwitch() {
        for (LabelledJob job : jobs(5)) {
            for (WorkerSeries w : job.window().workers()) {
                List<Truth> truth = job.truth().get(w.workerId());
                for (int i = 0; i < truth.size(); i++) {
                    if (truth.get(i).cause() == Cause.NETWORK && w.placement().nic().isPresent()) {
                        String nic = w.placement().nic().get();
                        long step = w.samples().get(i).step();
                        job.window().workers().stream().filter(o -> o.placement().nic().equals(w.placement().nic()))
                                .forEach(o -> assertThat(job.truthAt(o.workerId(), step).cause())
                                        .as("worker %s behind %s at step %d", o.workerId(), nic, step)
                                        .isEqualTo(Cause.NETWORK));
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no network episode with a known NIC in 40 jobs");
    }

    @Test
    void telemetryOnlyJobsAreTheSameJobsWithoutTheStepSplit() {
        List<LabelledJob> full = jobs(5);
        List<LabelledJob> bare = new SyntheticJobGenerator(SynthConfig.telemetryOnly(40), new Random(5)).generate("s");
        for (int j = 0; j < full.size(); j++) {
            LabelledJob f = full.get(j);
            LabelledJob b = bare.get(j);
            assertThat(b.truth()).isEqualTo(f.truth());
            assertThat(b).as("removing the split from the full job gives the telemetry-only one")
                    .isEqualTo(f.withoutBreakdown());
            for (WorkerSeries w : b.window().workers()) {
                for (WorkerSample x : w.samples()) {
                    assertThat(x.signals().present()).doesNotContainAnyElementsOf(LabelledJob.BREAKDOWN);
                }
            }
        }
        assertThat(full.stream().flatMap(j -> j.window().workers().stream())
                .anyMatch(w -> w.samples().getFirst().signals().get(Signal.COMPUTE_MS).isPresent())).isTrue();
    }
}
