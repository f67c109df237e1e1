package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSeries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CovReplayTest {

    @Property(tries = 300)
    void everyReplayedIterationHasTheRecordedSpread(@ForAll @DoubleRange(min = 0, max = 3.1) double cov,
                                                    @ForAll @DoubleRange(min = 0, max = 0.3) double typical,
                                                    @ForAll @LongRange(min = 0, max = 1000) long seed) {
        double[] series = {typical, typical, cov, typical, typical};
        JobWindow w = new CovReplay(10).replay(new CovData.CovJob("j", series), new Random(seed));
        for (int t = 0; t < series.length; t++) {
            double[] x = new double[10];
            for (int k = 0; k < 10; k++) {
                WorkerSeries worker = w.workers().get(k);
                x[k] = worker.samples().get(t).ownStepMs();
                assertThat(x[k]).isPositive();
            }
            assertThat(CovReplay.cov(x)).isCloseTo(series[t], within(1e-3 + series[t] * 1e-3));
        }
    }

    @Test
    void aJobWithSustainedLargeSpreadIsUnhealthy() {
        double[] calm = new double[100];
        double[] spread = new double[100];
        for (int i = 0; i < 100; i++) {
            calm[i] = i < 3 ? 1.5 : 0.05;
            spread[i] = i < 10 ? 1.5 : 0.05;
        }
        assertThat(new CovData.CovJob("a", calm).healthy()).isTrue();
        assertThat(new CovData.CovJob("b", spread).healthy()).isFalse();
    }
}
