package dev.coxswain.app.gnn;

import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.synthetic.RandomClusters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static dev.coxswain.app.gnn.PlacementSearchTest.CLUSTER;
import static dev.coxswain.app.gnn.PlacementSearchTest.job;
import static org.assertj.core.api.Assertions.assertThat;

/** Which clusters and jobs the placement benchmark takes: only jobs that have a choice of places. */
class PlacementBenchmarkTest {
    private static List<Integer> gpus(int from, int count) {
        return IntStream.range(from, from + count).boxed().toList();
    }

    @Test
    void placesTheLargestJobThatFitsTwiceIntoTheFreeGpus() {
        // 16 GPUs: a takes 9, b 4, c 2, one is free. Taken off, a would find 10 free, b 5 and c 3: none fits twice.
        JobSpec a = job("a", gpus(0, 9));
        JobSpec b = job("b", gpus(9, 4));
        JobSpec c = job("c", gpus(13, 2));
        assertThat(PlacementBenchmark.toPlace(CLUSTER, List.of(a, b, c))).isEmpty();
        // Without b, c finds 7 free, room for it three times; a finds 14, still short of 18.
        assertThat(PlacementBenchmark.toPlace(CLUSTER, List.of(a, c))).contains(c);
        // With a of 5, a finds 12 free once it is off, room twice, and it is the largest.
        JobSpec five = job("a", gpus(0, 5));
        assertThat(PlacementBenchmark.toPlace(CLUSTER, List.of(five, b, c))).contains(five);
    }

    @Test
    void everyCaseIsContendedAndHasAJobWithAChoice() {
        List<RandomClusters.Case> cases = PlacementBenchmark.contendedCases(3, 6, 16, 32);
        assertThat(cases).hasSize(6).allSatisfy(c -> {
            assertThat(PlacementBenchmark.contended(c.cluster())).isTrue();
            JobSpec placed = PlacementBenchmark.toPlace(c.cluster(), c.jobs()).orElseThrow();
            int free = c.cluster().gpuCount() - c.jobs().stream().mapToInt(JobSpec::workers).sum();
            assertThat(free + placed.workers()).isGreaterThanOrEqualTo(2 * placed.workers());
        });
        assertThat(PlacementBenchmark.contendedCases(3, 6, 16, 32)).as("seeded").isEqualTo(cases);
    }
}
