package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.Placement;
import dev.coxswain.whatif.calibrate.Prediction;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.calibrate.StepTimeModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NoiseFloorTest {
    private static final int[] BATCHES = {32, 45, 64, 91, 129, 182, 257, 363, 513, 725, 1024};
    private static final List<String> PLACEMENTS = List.of("1", "2", "4", "22", "44", "1234", "444", "4444");

    /** A bent curve: compute linear in the batch plus a fixed exchange that grows with the replicas. */
    private static double truth(Placement p, int batch) {
        return 0.02 + 0.0004 * batch + 0.01 * Math.log(p.replicas());
    }

    private static List<Measurement> rows(double logSigma, long seed) {
        Random rnd = new Random(seed);
        List<Measurement> rows = new ArrayList<>();
        for (String s : PLACEMENTS) {
            Placement p = Placement.parse(s);
            for (int b : BATCHES) {
                rows.add(new Measurement(p, b, truth(p, b) * Math.exp(logSigma * rnd.nextGaussian()), 0));
            }
        }
        return rows;
    }

    private static StepTimeModel.Fitted model(ToDoubleBiFunction<Placement, Integer> stepTime) {
        return new StepTimeModel.Fitted() {
            @Override
            public Prediction predict(Query q) {
                double t = stepTime.applyAsDouble(q.placement(), q.localBatch());
                return new Prediction(q, t, 0, t, t);
            }

            @Override
            public Map<String, Double> parameters() {
                return Map.of();
            }
        };
    }

    @Test
    void recoversTheMeanAbsoluteScatterOfEachRow() {
        // log-normal scatter of sd 0.05: a row is off by 0.05 sqrt(2/pi) = 3.99% on average
        double floor = NoiseFloor.betweenBatchSizesPct(rows(0.05, 7), model(NoiseFloorTest::truth));
        assertThat(floor).isCloseTo(3.99, within(0.6));
    }

    @Test
    void smoothRowsHaveNoFloorEvenWhenTheModelMissesALogLinearTrend() {
        assertThat(NoiseFloor.betweenBatchSizesPct(rows(0, 1), model(NoiseFloorTest::truth)))
                .isCloseTo(0, within(1e-9));
        // a model that is off by a power law of the batch leaves residuals linear in log batch: interpolated exactly
        assertThat(NoiseFloor.betweenBatchSizesPct(rows(0, 1), model((p, b) -> truth(p, b) * Math.pow(b, 0.3))))
                .isCloseTo(0, within(1e-9));
    }

    @Test
    void betweenNodeOrdersComparesOnlyOrdersOfOnePlacementAtOneBatchSize() {
        List<Measurement> rows = List.of(
                new Measurement(Placement.parse("124"), 64, 0.100, 0),
                new Measurement(Placement.parse("412"), 64, 0.100 * Math.exp(0.1), 0),
                new Measurement(Placement.parse("412"), 64, 0.5, 0),      // a repeat of 412: compared with 124 only
                new Measurement(Placement.parse("412"), 128, 0.9, 0),     // another batch size
                new Measurement(Placement.parse("133"), 64, 0.2, 0));     // another placement
        // one pair, log ratio 0.1, and one pair 124 vs the repeat: log(5); both over sqrt 2
        assertThat(NoiseFloor.betweenNodeOrdersPct(rows))
                .isCloseTo(100 * (0.1 + Math.log(5)) / 2 / Math.sqrt(2), within(1e-9));
        assertThat(NoiseFloor.betweenNodeOrdersPct(rows.subList(2, 5))).isNaN();
    }

    @Test
    void betweenNodeOrdersRecoversTheScatterOfRepeatedConfigurations() {
        Random rnd = new Random(3);
        List<Measurement> rows = new ArrayList<>();
        for (String s : List.of("1234", "4321", "2143", "1344", "4413", "3144")) {
            Placement p = Placement.parse(s);
            for (int b : BATCHES) {
                rows.add(new Measurement(p, b, truth(p, b) * Math.exp(0.05 * rnd.nextGaussian()), 0));
            }
        }
        assertThat(NoiseFloor.betweenNodeOrdersPct(rows)).isCloseTo(3.99, within(0.6));
    }

    @Test
    void isUndefinedWithoutThreeBatchSizesAtOnePlacement() {
        Placement p = Placement.parse("22");
        List<Measurement> rows = List.of(new Measurement(p, 32, 0.1, 0), new Measurement(p, 64, 0.2, 0),
                new Measurement(p, 64, 0.21, 0), new Measurement(Placement.parse("4"), 128, 0.3, 0));
        assertThat(NoiseFloor.betweenBatchSizesPct(rows, model(NoiseFloorTest::truth))).isNaN();
    }
}
