package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class OnlineStragglerDetectorTest {

    private final OnlineStragglerDetector detector =
            new OnlineStragglerDetector(DetectorConfig.immediate(), new RuleCauseAttributor());

    /** Worker w0..w(n-1) with steps [from, to); w1 is throttled from step 20 on. */
    private static JobWindow window(int workers, long from, long to) {
        List<WorkerSeries> ws = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            List<WorkerSample> samples = new ArrayList<>();
            for (long s = from; s < to; s++) {
                boolean throttled = w == 1 && s >= 20;
                Signals signals = Signals.none().with(Signal.SM_CLOCK_MHZ, throttled ? 1300 : 1980)
                        .with(Signal.THROTTLED, throttled ? 1 : 0);
                samples.add(new WorkerSample(s, throttled ? 140 : 100 + w,
                        Optional.of(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(s)), signals));
            }
            ws.add(new WorkerSeries("w" + w, WorkerLocation.of("h" + w / 4, "nic0", "s0"), samples));
        }
        return new JobWindow("job-1", ws);
    }

    @Test
    void reportsTheStragglerWithCauseSlowdownAndSince() {
        JobAssessment a = detector.update(window(8, 0, 30));

        assertThat(a.step()).isEqualTo(29);
        assertThat(a.stepsProcessed()).isEqualTo(30);
        assertThat(a.detections()).singleElement().satisfies(d -> {
            assertThat(d.jobId()).isEqualTo("job-1");
            assertThat(d.workerId()).isEqualTo("w1");
            assertThat(d.cause()).isEqualTo(Cause.GPU_COMPUTE);
            assertThat(d.slowdown()).isBetween(1.35, 1.41);
            assertThat(d.sinceStep()).isEqualTo(22);
            assertThat(d.since()).contains(Instant.parse("2026-01-01T00:00:22Z"));
        });
        assertThat(a.jobSlowdown()).isEqualTo(a.detections().getFirst().slowdown());
    }

    @Test
    void overlappingWindowsAreProcessedOnlyOnce() {
        detector.update(window(8, 0, 30));
        JobAssessment again = detector.update(window(8, 10, 35));

        assertThat(again.stepsProcessed()).isEqualTo(5);
        assertThat(again.step()).isEqualTo(34);
        assertThat(again.detections()).extracting(Detection::sinceStep).containsExactly(22L);

        JobAssessment nothingNew = detector.update(window(8, 10, 35));
        assertThat(nothingNew.stepsProcessed()).isZero();
        assertThat(nothingNew.detections()).hasSize(1);
    }

    @Test
    void aLaggingWorkerHoldsBackItsStepsButAStaleOneDoesNot() {
        List<WorkerSeries> ws = new ArrayList<>(window(4, 0, 10).workers());
        ws.set(3, new WorkerSeries("w3", WorkerLocation.unknown(), window(4, 0, 8).workers().get(3).samples()));
        JobAssessment lagging = detector.update(new JobWindow("job-1", ws));
        assertThat(lagging.step()).isEqualTo(7);

        detector.forget("job-1");
        ws.set(3, new WorkerSeries("w3", WorkerLocation.unknown(), window(4, 0, 2).workers().get(3).samples()));
        JobAssessment stale = detector.update(new JobWindow("job-1", ws));
        assertThat(stale.step()).isEqualTo(9);
    }

    @Test
    void anEmptyWindowGivesNoAssessmentYet() {
        JobAssessment a = detector.update(new JobWindow("job-9", List.of()));
        assertThat(a.step()).isEqualTo(-1);
        assertThat(a.detections()).isEmpty();
    }
}
