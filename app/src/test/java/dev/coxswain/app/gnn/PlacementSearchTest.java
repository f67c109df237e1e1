package dev.coxswain.app.gnn;

import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The placement heuristics and the search's candidates on a small busy cluster, and what cannot be placed. */
class PlacementSearchTest {
    /** Four nodes of four GPUs. */
    static final ClusterSpec CLUSTER = ClusterFile.parse("small.yaml", """
            name: small
            nodeGroups:
              - name: n
                count: 4
                gpu: {type: T4, tflops: 65}
                gpusPerNode: 4
                fabric: {kind: nvswitch, gpuGBps: 100}
                nics: {count: 1, gbps: 10}
            switchTiers:
              - {name: leaf, fanout: 2, oversubscription: 2}
              - {name: spine, fanout: 2}
            """);
    static final ModelProfile MODEL = new ModelProfile("m", List.of(
            new ModelProfile.ComputeCost("T4", 0.01, 0.001, 65)), 50_000_000L, 25L << 20, 0.33, 0.02);

    static JobSpec job(String name, List<Integer> gpus) {
        return new JobSpec(name, MODEL, new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus,
                Collections.nCopies(gpus.size(), 32), 1, 1_000_000, List.of(), 0);
    }

    /** Node 0 is full, node 1 has one GPU busy, nodes 2 and 3 are free. */
    private static PlacementSearch busy() {
        return new PlacementSearch(new Topology(CLUSTER), List.of(job("a", List.of(0, 1, 2, 3)),
                job("b", List.of(4, 8))));
    }

    @Test
    void theHeuristicsPlaceAsSchedulersDo() {
        PlacementSearch s = busy();
        assertThat(s.free()).containsExactly(5, 6, 7, 9, 10, 11, 12, 13, 14, 15);
        assertThat(s.heuristic("pack-first", 4, 1).gpus()).as("the node with most free GPUs first")
                .containsExactly(12, 13, 14, 15);
        assertThat(s.heuristic("spread", 4, 1).gpus()).as("one a node, round after round")
                .containsExactly(5, 6, 9, 12);
        assertThat(s.heuristic("random", 4, 1).gpus()).hasSize(4).isSubsetOf(s.free());
        assertThat(s.heuristic("random", 4, 1)).isEqualTo(s.heuristic("random", 4, 1));
    }

    @Test
    void candidatesIncludeTheHeuristicsAndAreDistinct() {
        PlacementSearch s = busy();
        List<PlacementSearch.Candidate> c = s.candidates(3, 20, 7);
        assertThat(c.subList(0, 3)).extracting(PlacementSearch.Candidate::how).containsExactly("pack-first",
                "spread", "random");
        assertThat(new HashSet<>(c.stream().map(PlacementSearch.Candidate::gpus).toList())).hasSize(c.size());
        assertThat(c).allSatisfy(x -> assertThat(x.gpus()).hasSize(3).isSubsetOf(s.free()));
        List<List<JobSpec>> placed = s.placements(job("new", List.of(0, 1, 2)), c);
        assertThat(placed.getFirst()).hasSize(3);
        assertThat(placed.getFirst().getLast().workerGpus()).isEqualTo(c.getFirst().gpus());
    }

    @Test
    void refusesAJobLargerThanTheFreeGpusAndSaysSo() {
        assertThatThrownBy(() -> busy().candidates(11, 4, 1))
                .hasMessageContaining("needs 11 GPUs but only 10 of the cluster's 16 are free");
        assertThatThrownBy(() -> busy().heuristic("best-fit", 2, 1)).hasMessageContaining("no heuristic 'best-fit'");
        assertThatThrownBy(() -> new PlacementSearch(new Topology(CLUSTER), List.of(job("a", List.of(0, 1)),
                job("b", List.of(1, 2))))).hasMessageContaining("GPU 1 is held by two running jobs");
    }
}
