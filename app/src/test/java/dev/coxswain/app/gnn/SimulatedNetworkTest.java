package dev.coxswain.app.gnn;

import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A cluster and its jobs as the graph network reads them and as the simulator runs them: the truth lines up with
 * the graph (one utilisation per link the graph keeps, one exchange time per job), the simulator's own exchange
 * times give back its step times, and what cannot be encoded is refused with the reason.
 */
class SimulatedNetworkTest {
    private static final List<JobSpec> JOBS = List.of(PlacementSearchTest.job("a", List.of(0, 4, 8, 12)),
            PlacementSearchTest.job("b", List.of(5, 9)));

    @Test
    void theTruthLinesUpWithTheGraphAndGivesBackTheSimulatorsStepTimes() {
        SimulatedNetwork net = new SimulatedNetwork(PlacementSearchTest.CLUSTER, JOBS);
        SimulatedNetwork.Simulated s = net.simulate(3);
        assertThat(s.sample().utilization()).hasSize(net.graph().links());
        assertThat(s.sample().exchangeSec()).hasSize(2);
        assertThat(Math.min(s.sample().exchangeSec()[0], s.sample().exchangeSec()[1])).isPositive();
        SimulatedNetwork.Prediction p = net.predicted(s.sample().exchanges());
        for (int j = 0; j < 2; j++) {
            Simulation.JobResult r = s.result().jobs().get(j);
            assertThat(p.stepSec()[j]).isCloseTo(r.meanStepSec(), within(0.01 * r.meanStepSec()));
            assertThat(r.steps()).as("every job runs throughout the horizon").isGreaterThan(20);
        }
        // From the simulator's own step times, the links' loads are what it measured.
        double[] util = net.graph().linkUtilization(SimulatedNetwork.stepSec(s.result()));
        for (int row = 0; row < util.length; row++) {
            assertThat(util[row]).isCloseTo(s.sample().utilization()[row], within(0.02));
        }
        for (int l : p.bottlenecks()) {
            assertThat(l).isBetween(0, net.topology().linkCount() - 1);
        }
    }

    @Test
    void aJobTriedAtManyPlacesComputesAlikeOnTheSameGpuTypesAsIfDrawnAlone() {
        ClusterSpec mixed = ClusterFile.parse("mixed.yaml", """
                name: mixed
                nodeGroups:
                  - {name: t, count: 2, gpu: {type: T4, tflops: 65}, gpusPerNode: 4,
                     fabric: {kind: pcie, gpuGBps: 16}, nics: {count: 1, gbps: 10}}
                  - {name: a, count: 2, gpu: {type: A100, tflops: 312}, gpusPerNode: 4,
                     fabric: {kind: nvswitch, gpuGBps: 300}, nics: {count: 1, gbps: 100}}
                switchTiers:
                  - {name: leaf, fanout: 4}
                """);
        List<JobSpec> onT4 = List.of(PlacementSearchTest.job("n", List.of(0, 1)));
        List<JobSpec> otherT4s = List.of(PlacementSearchTest.job("n", List.of(4, 6)));
        List<JobSpec> onA100 = List.of(PlacementSearchTest.job("n", List.of(8, 12)));
        List<SimulatedNetwork> nets = SimulatedNetwork.of(mixed, List.of(onT4, otherT4s, onA100));
        assertThat(nets.get(1).timing(0, 0.01)).isEqualTo(nets.get(0).timing(0, 0.01))
                .isEqualTo(new SimulatedNetwork(mixed, otherT4s).timing(0, 0.01));
        assertThat(nets.get(2).timing(0, 0).stepSec()).as("drawn again for the faster GPUs")
                .isLessThan(nets.get(0).timing(0, 0).stepSec() / 2);
    }

    @Test
    void refusesWhatItCannotEncodeAndSaysWhat() {
        assertThatThrownBy(() -> new SimulatedNetwork(PlacementSearchTest.CLUSTER, List.of(
                PlacementSearchTest.job("big", java.util.stream.IntStream.range(0, 17).boxed().toList()))))
                .hasMessageContaining("job big has 17 workers but cluster small has 16 GPUs");
        assertThatThrownBy(() -> new SimulatedNetwork(PlacementSearchTest.CLUSTER, List.of(
                PlacementSearchTest.job("far", List.of(0, 40)))))
                .hasMessageContaining("job far is placed on GPU 40 but cluster small has GPUs 0-15");
    }
}
