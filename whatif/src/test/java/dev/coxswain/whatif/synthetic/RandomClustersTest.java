package dev.coxswain.whatif.synthetic;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.SimOutput;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.NodeGroup;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The graph model's training cases: valid, varied within the ranges, simulated, and the same per seed. */
class RandomClustersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

    private static final SimOutput NOWHERE = new SimOutput() {
        @Override
        public void accept(Telemetry record) {
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void theSameSeedGivesTheSameCaseAndAnotherSeedAnother() {
        assertThat(RandomClusters.draw(7, 64, 10)).isEqualTo(RandomClusters.draw(7, 64, 10));
        assertThat(RandomClusters.draw(7, 64, 10)).isNotEqualTo(RandomClusters.draw(8, 64, 10));
    }

    @Test
    void twoHundredCasesAreValidVariedAndSimulate() {
        Set<Integer> nodeCounts = new HashSet<>();
        Set<Integer> gpusPerNode = new HashSet<>();
        Set<String> fabrics = new HashSet<>();
        Set<String> gpuTypes = new HashSet<>();
        double busiest = 0;
        for (long seed = 0; seed < 200; seed++) {
            RandomClusters.Case c = RandomClusters.draw(seed, 16, 5);
            NodeGroup g = c.cluster().groups().getFirst();
            assertThat(g.count()).isBetween(1, 16);
            assertThat(g.gpusPerNode()).isBetween(1, 8);
            assertThat(g.nics().bytesPerSec() * 8).isBetween(25e9, 400e9);
            assertThat(c.cluster().tiers().getFirst().oversubscription()).isBetween(1.0, 4.0);
            nodeCounts.add(g.count());
            gpusPerNode.add(g.gpusPerNode());
            fabrics.add(g.fabric().kind().name());
            gpuTypes.add(g.gpu().name());
            if (c.cluster().gpuCount() < 2) {
                assertThat(c.jobs()).as("one GPU holds no data-parallel job").isEmpty();
                continue;
            }
            assertThat(c.jobs()).isNotEmpty().allSatisfy(j -> assertThat(j.workers()).isBetween(2, 64));
            assertThat(c.jobs().stream().mapToInt(j -> j.workers()).sum())
                    .as("no GPU is given twice").isLessThanOrEqualTo(c.cluster().gpuCount());

            Simulation.Result r = new Simulation(new Topology(c.cluster()), c.jobs(), NOWHERE, CLOCK,
                    new Simulation.Options(seed, 0)).run();

            assertThat(r.jobs()).as("seed " + seed).allSatisfy(j -> {
                assertThat(j.steps()).isEqualTo(5);
                assertThat(j.meanStepSec()).isPositive();
                assertThat(j.meanCommSec()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(j.meanStepSec());
            });
            assertThat(r.links()).allSatisfy(l -> assertThat(l.utilization()).isBetween(0.0, 1.0));
            busiest = Math.max(busiest, r.links().stream().mapToDouble(Simulation.LinkResult::utilization).max()
                    .orElse(0));
        }
        assertThat(busiest).as("some case loads a link").isGreaterThan(0.3);
        assertThat(nodeCounts).as("node counts drawn").hasSizeGreaterThan(10);
        assertThat(gpusPerNode).as("GPUs per node drawn").hasSize(8);
        assertThat(fabrics).containsExactlyInAnyOrder("NVSWITCH", "NVLINK", "PCIE");
        assertThat(gpuTypes).as("GPU types of the presets").hasSizeGreaterThan(2);
    }

    @Test
    void drawsWithinANodeRange() {
        for (long seed = 0; seed < 50; seed++) {
            int nodes = RandomClusters.draw(seed, 32, 64, 10).cluster().nodeCount();
            assertThat(nodes).isBetween(32, 64);
        }
        assertThatThrownBy(() -> RandomClusters.draw(1, 9, 8, 5)).hasMessageContaining("minNodes <= maxNodes");
    }

    @Test
    void fillsAGivenClusterWithAsManyJobsAsAskedOnDistinctGpus() {
        ClusterSpec cluster = ClusterPresets.get("dgx-h100");
        RandomClusters.Case c = RandomClusters.fill(cluster, 5, 4, 3, 10);
        assertThat(c.cluster()).isEqualTo(cluster);
        assertThat(c.jobs()).hasSize(5).allSatisfy(j -> assertThat(j.workers()).isBetween(2, 4));
        assertThat(c.jobs().stream().flatMap(j -> j.workerGpus().stream()).distinct().count())
                .isEqualTo(c.jobs().stream().mapToInt(j -> j.workers()).sum());
        assertThat(RandomClusters.fill(cluster, 5, 4, 3, 10)).isEqualTo(c);
        // More jobs than the GPUs hold: as many as fit.
        assertThat(RandomClusters.fill(cluster, 1000, 2, 3, 10).jobs()).hasSize(cluster.gpuCount() / 2);
        assertThatThrownBy(() -> RandomClusters.fill(cluster, 0, 4, 3, 10)).hasMessageContaining("count >= 1");
    }

    @Test
    void refusesSizesOutsideItsRange() {
        assertThatThrownBy(() -> RandomClusters.draw(1, 0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxNodes");
    }
}
