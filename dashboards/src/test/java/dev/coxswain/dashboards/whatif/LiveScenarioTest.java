package dev.coxswain.dashboards.whatif;

import dev.coxswain.core.BadInputException;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.testkit.NetworkCluster;
import dev.coxswain.whatif.scenario.Answer;
import dev.coxswain.whatif.scenario.ScenarioFile;
import dev.coxswain.whatif.scenario.ScenarioRunner;
import dev.coxswain.whatif.spec.JobSpec;
import org.jgrapht.graph.SimpleGraph;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live cluster as a scenario where the job trains on CPU (the reference trainer in the demo): the host without
 * GPUs gets one CPU slot per worker, the measured slow worker is the baseline's straggler, and a question that
 * speeds it up shortens the simulated step.
 */
class LiveScenarioTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private static ClusterSnapshot cpuCluster(boolean withCompute) {
        SimpleGraph<Vertex, Link> graph = new SimpleGraph<>(Link.class);
        graph.addVertex(new Vertex.Host("vm"));
        List<JobMembership.Member> members = new ArrayList<>();
        Map<String, List<StepPoint>> workers = new LinkedHashMap<>();
        members.add(new JobMembership.Member("ps", "vm", -1, JobMembership.Role.PARAMETER_SERVER));
        for (int w = 0; w < 4; w++) {
            members.add(new JobMembership.Member("w" + w, "vm", -1, JobMembership.Role.WORKER));
            double compute = w == 3 ? 200 : 100;
            List<StepPoint> steps = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                steps.add(new StepPoint(k, T0.plusMillis(250L * k), 250, withCompute ? compute : 0, 20, 0, 256));
            }
            workers.put("w" + w, steps);
        }
        JobMembership membership = new JobMembership("job", T0, JobMembership.CommPattern.PARAMETER_SERVER,
                400_000, members);
        JobView job = new JobView("job", Optional.of(membership), workers, 250, List.of());
        return new ClusterSnapshot(3, T0.plusSeconds(5), graph, Map.of(), Map.of(), Map.of(), Map.of("job", job));
    }

    @Test
    void aCpuJobGetsOneSlotPerWorkerAndKeepsItsMeasuredStraggler() {
        LiveScenario.Built built = LiveScenario.build(cpuCluster(true), "job", ScenarioFile.questions("q", """
                - name: "w3 as fast as its peers"
                  slowGpu: {worker: 3, factor: 0.5}
                """));
        assertThat(built.workers()).containsExactly("w0", "w1", "w2", "w3");
        assertThat(built.nodes()).containsExactly("vm");
        assertThat(built.scenario().cluster().groups().getFirst().gpusPerNode()).isEqualTo(4);
        JobSpec baseline = built.scenario().baseline();
        assertThat(baseline.workerGpus()).containsExactly(0, 1, 2, 3);
        assertThat(baseline.localBatch()).containsOnly(256);
        assertThat(baseline.stragglers()).singleElement().satisfies(s -> {
            assertThat(s.worker()).isEqualTo(3);
            assertThat(s.slowdown()).isEqualTo(2.0);
        });
        List<Answer> answers = new ScenarioRunner(built.scenario(), Clock.fixed(T0, ZoneOffset.UTC)).run();
        assertThat(answers.get(1).simStepSec()).isLessThan(answers.get(0).simStepSec());
    }

    @Test
    void aJobWithoutComputeTimesCannotBeSimulatedAndSaysSo() {
        assertThatThrownBy(() -> LiveScenario.build(cpuCluster(false), "job", List.of()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("live job job")
                .hasMessageContaining("compute_ms");
    }

    @Test
    void theLiveClusterHoldsItsGpuHostsAndTheRunningAllReduceJobsOnTheirGpus() {
        NetworkCluster c = new NetworkCluster(100)
                .job("ring", JobMembership.CommPattern.RING_ALLREDUCE, 100_000_000L, List.of(
                        new NetworkCluster.Place("r0", "a", 1), new NetworkCluster.Place("r1", "b", 2)), 100, 20, 10)
                .job("ps", JobMembership.CommPattern.PARAMETER_SERVER, 100_000_000L, List.of(
                        new NetworkCluster.Place("p0", "a", 0), new NetworkCluster.Place("s", "b", -1)), 100, 20, 10)
                .endedJob("old", List.of(new NetworkCluster.Place("o0", "a", 3), new NetworkCluster.Place("o1", "b", 3)))
                .jobWithoutMembership("young");
        LiveScenario.LiveCluster live = LiveScenario.cluster(c.snapshot(2, NetworkCluster.AT.plusSeconds(5)));
        assertThat(live.nodes()).containsExactly("a", "b");
        assertThat(live.cluster().gpuCount()).isEqualTo(8);
        assertThat(live.running()).singleElement().satisfies(j -> {
            assertThat(j.name()).isEqualTo("ring");
            assertThat(j.workerGpus()).containsExactly(1, 6);
            assertThat(j.model().gradientBytes()).isEqualTo(100_000_000L);
        });
        assertThat(live.skipped()).containsOnlyKeys("ps", "old", "young");
        assertThat(live.skipped().get("ps")).contains("parameter server");
        assertThat(live.skipped().get("old")).isEqualTo("it ended");
        assertThat(live.skipped().get("young")).contains("job.start");
        assertThat(live.held()).as("the parameter-server job's worker still holds its GPU").containsExactly(0);

        LiveScenario.LiveCluster later = LiveScenario.cluster(c.snapshot(3, NetworkCluster.AT.plusSeconds(120)));
        assertThat(later.running()).isEmpty();
        assertThat(later.skipped().get("ring")).contains("stopped");

        // A job restarted under a new id while the old one's steps are still fresh: the newer one holds the GPUs.
        LiveScenario.LiveCluster restarted = LiveScenario.cluster(c
                .job("ring-2", JobMembership.CommPattern.RING_ALLREDUCE, 100_000_000L, List.of(
                        new NetworkCluster.Place("r0", "a", 1), new NetworkCluster.Place("r1", "b", 2)), 200, 20, 10)
                .snapshot(4, NetworkCluster.AT.plusSeconds(5)));
        assertThat(restarted.running()).extracting(JobSpec::name).containsExactly("ring-2");
        assertThat(restarted.skipped().get("ring")).isEqualTo("its GPUs are claimed by ring-2, which reported more"
                + " recently");
    }

    @Test
    void aClusterWithoutGpuHostsHasNothingToPlaceOn() {
        assertThatThrownBy(() -> LiveScenario.cluster(cpuCluster(true))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("no host has reported a GPU");
    }
}
