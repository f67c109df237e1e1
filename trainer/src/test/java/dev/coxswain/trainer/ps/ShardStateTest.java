package dev.coxswain.trainer.ps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ShardStateTest {

    @Test
    void bspHoldsARoundUntilEveryWorkerPushedThenAppliesTheWeightedSum() {
        ShardState s = new ShardState(new float[]{1f, 1f}, 2, 0f, 0f);
        assertThat(s.push(0, 0, 0.75f, 0.1f, true, new float[]{1f, 0f})).isEqualTo(PushOutcome.BUFFERED);
        assertThat(s.pending(0)).isTrue();
        assertThat(s.parameters()).containsExactly(1f, 1f);
        assertThat(s.push(1, 0, 0.25f, 0.1f, true, new float[]{0f, 4f})).isEqualTo(PushOutcome.BUFFERED);
        assertThat(s.pending(0)).isFalse();
        assertThat(s.parameters()[0]).isCloseTo(1f - 0.1f * 0.75f, within(1e-6f));
        assertThat(s.parameters()[1]).isCloseTo(1f - 0.1f * 1f, within(1e-6f));
        assertThat(s.stats().optimizerSteps()).isEqualTo(1);
    }

    @Test
    void immediatePushesApplyOnArrivalAndMomentumDecaysByTheWorkersShare() {
        ShardState s = new ShardState(new float[]{0f}, 2, 0.81f, 0f);
        s.push(0, 0, 0.5f, 1f, false, new float[]{1f});
        assertThat(s.parameters()[0]).isCloseTo(-0.5f, within(1e-6f));
        s.push(1, 0, 0.5f, 1f, false, new float[]{0f});
        // velocity 0.5 decayed by 0.81^0.5 = 0.9
        assertThat(s.parameters()[0]).isCloseTo(-0.5f - 0.45f, within(1e-5f));
    }

    @Test
    void aRepeatedPushOfTheSameClockIsNotAppliedTwice() {
        ShardState s = new ShardState(new float[]{0f}, 1, 0f, 0f);
        assertThat(s.push(0, 0, 1f, 1f, false, new float[]{1f})).isEqualTo(PushOutcome.APPLIED);
        assertThat(s.push(0, 0, 1f, 1f, false, new float[]{1f})).isEqualTo(PushOutcome.DUPLICATE);
        assertThat(s.parameters()[0]).isEqualTo(-1f);
        assertThat(s.stats().appliedPerWorker()).containsExactly(1);
        assertThat(s.stats().duplicates()).isEqualTo(1);
    }

    @Test
    void aBspRoundCompletesWhenAWorkerAheadAlreadyPushedThatClockUnsynchronised() {
        ShardState s = new ShardState(new float[]{0f}, 2, 0f, 0f);
        s.push(0, 0, 0.5f, 1f, false, new float[]{1f});
        s.push(0, 1, 0.5f, 1f, false, new float[]{1f});
        assertThat(s.push(1, 0, 0.5f, 1f, true, new float[]{2f})).isEqualTo(PushOutcome.BUFFERED);
        assertThat(s.pending(0)).isFalse();
        assertThat(s.stats().applied()).isEqualTo(3);
        assertThat(s.parameters()[0]).isCloseTo(-2f, within(1e-6f));
    }

    @Test
    void theAverageFollowsTheParametersWithItsDecay() {
        ShardState s = new ShardState(new float[]{0f}, 1, 0f, 0.5f);
        s.push(0, 0, 1f, 1f, false, new float[]{-2f});
        assertThat(s.parameters()[0]).isEqualTo(2f);
        assertThat(s.averagedParameters()[0]).isEqualTo(1f);
    }

    @Test
    void shardRangesCoverTheVectorWithoutGaps() {
        ShardLayout l = new ShardLayout(101_770, 3);
        assertThat(l.from(0)).isZero();
        assertThat(l.to(0)).isEqualTo(l.from(1));
        assertThat(l.to(1)).isEqualTo(l.from(2));
        assertThat(l.to(2)).isEqualTo(101_770);
    }
}
