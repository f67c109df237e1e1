package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

class OracleLabelsTest {

    static JobWindow job(int workers, int steps, BiFunction<Integer, Integer, Double> time) {
        List<WorkerSeries> ws = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<WorkerSample> s = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                s.add(WorkerSample.of(t * 10L, time.apply(w, t)));
            }
            ws.add(new WorkerSeries("w" + w, WorkerLocation.unknown(), s));
        }
        return new JobWindow("j", ws);
    }

    @Test
    void labelsAStepChangeFromItsFirstSlowSampleAndNotASpike() {
        JobWindow w = job(10, 40, (wk, t) -> (wk == 6 && t >= 20) ? 120.0 : (wk == 2 && t == 10 ? 300.0 : 100.0));
        OracleLabels labels = OracleLabels.of(w);

        assertThat(labels.label(new WorkerStep("w6", 190))).isFalse();
        assertThat(labels.label(new WorkerStep("w6", 200))).isTrue();
        assertThat(labels.ratio(new WorkerStep("w6", 300))).isEqualTo(1.2);
        assertThat(labels.label(new WorkerStep("w2", 100))).as("a single spike").isFalse();
    }

    @Test
    void theFastGroupNotTheMedianIsTheReference() {
        JobWindow w = job(10, 20, (wk, t) -> wk < 3 ? 100.0 : 115.0);
        OracleLabels labels = OracleLabels.of(w);

        assertThat(labels.label(new WorkerStep("w9", 100))).isTrue();
        assertThat(labels.label(new WorkerStep("w0", 100))).isFalse();
    }
}
