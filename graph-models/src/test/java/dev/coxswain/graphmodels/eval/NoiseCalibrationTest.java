package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NoiseCalibrationTest {

    /** Healthy jobs whose spread is large enough for noise alone to cross 1.10 now and then. */
    static List<CovData.CovJob> noisyJobs(int n, int iterations) {
        Random random = new Random(9);
        List<CovData.CovJob> jobs = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            double[] cov = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                cov[i] = 0.08 + random.nextDouble() * 0.08;
            }
            jobs.add(new CovData.CovJob(String.format("job_%02d", j), cov));
        }
        return jobs;
    }

    @Test
    void picksTheSmallestZThatMeetsTheTargetAndReportsHeldOutJobs() {
        double[] grid = {0, 2, 4, 6, 8, 10, 12};
        NoiseCalibration calibration = new NoiseCalibration(DetectorConfig.defaults(), grid, 0.002, 1);
        NoiseCalibration.Result r = calibration.run(noisyJobs(6, 300));

        assertThat(r.calibrationJobs()).isEqualTo(3);
        assertThat(r.heldOutJobs()).isEqualTo(3);
        assertThat(r.calibrationRate()).isLessThanOrEqualTo(0.002);
        assertThat(r.z()).isGreaterThan(0);
        double below = r.curve().stream().filter(p -> p.z() < r.z()).mapToDouble(NoiseCalibration.Point::calibrationRate)
                .max().orElse(1);
        assertThat(below).as("the next smaller z tried misses the target").isGreaterThan(0.002);
        assertThat(calibration.at(noisyJobs(6, 300), 0).heldOutRate()).isGreaterThan(r.heldOutRate());
    }
}
