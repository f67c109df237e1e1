package dev.coxswain.trainer.ps;

import dev.coxswain.testkit.Requires;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.data.SampleOrder;
import dev.coxswain.trainer.model.MlpAccuracy;
import dev.coxswain.trainer.model.MlpGradient;
import dev.coxswain.trainer.model.MlpShape;
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
    void immediatePushesAreFractionalStepsThatAddUpToABspStep() {
        ShardState async = new ShardState(new float[]{0f}, 2, 0.81f, 0f);
        ShardState sync = new ShardState(new float[]{0f}, 2, 0.81f, 0f);
        for (int clock = 0; clock < 200; clock++) {
            async.push(0, clock, 0.5f, 0.1f, false, new float[]{1f});
            async.push(1, clock, 0.5f, 0.1f, false, new float[]{1f});
            sync.push(0, clock, 0.5f, 0.1f, true, new float[]{1f});
            sync.push(1, clock, 0.5f, 0.1f, true, new float[]{1f});
        }
        // In steady state both move by lr * g / (1 - mu) per round; the async velocity lags slightly at the start.
        float asyncStep = -async.parameters()[0];
        float syncStep = -sync.parameters()[0];
        assertThat(asyncStep / syncStep).isBetween(0.97f, 1.03f);
        ShardState first = new ShardState(new float[]{0f}, 2, 0.81f, 0f);
        first.push(0, 0, 0.5f, 1f, false, new float[]{1f});
        // p -= lr (m v + w g) with v = 0 at first
        assertThat(first.parameters()[0]).isCloseTo(-0.5f, within(1e-6f));
        first.push(1, 0, 0.5f, 1f, false, new float[]{0f});
        // v = 0.5 now; m = 0.81 * (1 - 0.9) / (1 - 0.81)
        assertThat(first.parameters()[0]).isCloseTo(-0.5f - 0.81f * 0.1f / 0.19f * 0.5f, within(1e-6f));
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

    /** Four workers' gradients at the same point, applied one by one, must train like their BSP sum. */
    @Test
    void unsynchronisedPushesTrainAboutAsWellAsBspRounds() {
        Requires.directory(FashionMnist.DEFAULT_DIR, "dataset-fashion-mnist");
        Dataset train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN).head(8000);
        Dataset test = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TEST).head(1000);
        MlpShape shape = new MlpShape(784, 32, 10);
        double[] accuracy = new double[2];
        for (int mode = 0; mode < 2; mode++) {
            ShardState s = new ShardState(shape.initialParameters(1), 4, 0.9f, 0f);
            MlpGradient gradient = new MlpGradient(shape);
            SampleOrder order = new SampleOrder(train.size(), 1);
            for (int clock = 0; clock < 60; clock++) {
                float[] at = s.parameters().clone();
                for (int w = 0; w < 4; w++) {
                    float[] g = new float[shape.parameterCount()];
                    gradient.compute(at, train, order, (clock * 4L + w) * 64, 64, g);
                    s.push(w, clock, 0.25f, 0.1f, mode == 0, g);
                }
            }
            accuracy[mode] = new MlpAccuracy(shape).evaluate(s.parameters(), test).accuracy();
        }
        assertThat(accuracy[0]).as("BSP").isGreaterThan(0.65);
        assertThat(accuracy[1]).as("one push at a time, BSP at %s", accuracy[0]).isGreaterThan(accuracy[0] - 0.04);
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
