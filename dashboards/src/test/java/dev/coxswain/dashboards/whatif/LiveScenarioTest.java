package dev.coxswain.dashboards.whatif;

import dev.coxswain.core.BadInputException;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
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
}
