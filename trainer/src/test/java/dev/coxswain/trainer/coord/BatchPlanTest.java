package dev.coxswain.trainer.coord;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPlanTest {

    @Test
    void rescalingKeepsEachWorkersShare() {
        BatchPlan p = new BatchPlan(new int[]{300, 300, 300, 124});
        assertThat(p.rescaledTo(512).local()).containsExactly(150, 150, 150, 62);
        assertThat(p.weight(3)).isEqualTo(124 / 1024f);
    }

    @Property(tries = 200)
    void rescalingHitsTheTargetExactlyWithEveryWorkerAtLeastOne(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 500) Integer> batches,
            @ForAll @IntRange(min = 8, max = 4000) int target) {
        BatchPlan p = new BatchPlan(batches.stream().mapToInt(Integer::intValue).toArray());
        BatchPlan q = p.rescaledTo(target);
        assertThat(q.global()).isEqualTo(target);
        assertThat(java.util.Arrays.stream(q.local()).min().orElseThrow()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusesAGlobalBatchSmallerThanTheWorkerCount() {
        assertThatThrownBy(() -> BatchPlan.even(4, 64).rescaledTo(3)).hasMessageContaining("outside [4,");
        assertThatThrownBy(() -> BatchPlan.even(4, 64).withLocal(1, 0)).hasMessageContaining("worker 1 batch 0");
    }
}
