package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.window.WorkerSample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTrackerTest {

    private final DetectorConfig config = DetectorConfig.immediate();

    @Test
    void singleSampleSpikesNeverAlarmWhateverTheirSize() {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            double[][] t = Jobs.noisy(10, 200, 0.02, random);
            for (int w = 0; w < 10; w++) {
                for (int s = 3; s < 200; s += 4 + random.nextInt(6)) {
                    t[w][s] *= 1.2 + random.nextDouble() * 50;
                }
            }
            List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 10, 200, (w, s) -> t[w][s]);

            assertThat(ticks).allSatisfy(tick -> assertThat(tick.detections()).isEmpty());
        }
    }

    @Test
    void twoConsecutiveSpikesDoNotAlarmEither() {
        double[][] t = Jobs.noisy(10, 120, 0.02, new Random(3));
        for (int s = 10; s < 120; s += 12) {
            t[4][s] *= 3;
            t[4][s + 1] *= 3;
        }
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 10, 120, (w, s) -> t[w][s]);

        assertThat(ticks).allSatisfy(tick -> assertThat(tick.detections()).isEmpty());
    }

    @Test
    void withADecisionDelayTheVerdictComesLaterAndIsDatedToTheStepItDecides() {
        DetectorConfig late = config.withDecisionDelay(3);
        assertThat(late.windowSamples()).isEqualTo(7);
        double[][] t = Jobs.noisy(10, 80, 0.01, new Random(5));
        for (int s = 40; s < 80; s++) {
            t[7][s] *= 1.3;
        }
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(late), 10, 80, (w, s) -> t[w][s]);

        assertThat(ticks.get(2).verdicts()).as("nothing to decide before the fourth sample").isEmpty();
        assertThat(ticks.get(3).verdicts()).extracting(WorkerVerdict::step).containsOnly(0L);
        // The centred window of 7 holds four slow samples once step 43 is in: it decides step 40, the onset.
        assertThat(Jobs.verdict(ticks.get(42), "w7").straggler()).isFalse();
        WorkerVerdict confirmed = Jobs.verdict(ticks.get(43), "w7");
        assertThat(confirmed.step()).isEqualTo(40);
        assertThat(confirmed.straggler()).isTrue();
        assertThat(confirmed.sinceStep()).hasValue(40);
        assertThat(Jobs.verdict(ticks.get(79), "w7").step()).isEqualTo(76);
    }

    @Test
    void persistentSlowdownIsConfirmedOnItsThirdSlowSample() {
        double[][] t = Jobs.noisy(10, 80, 0.01, new Random(5));
        for (int s = 40; s < 80; s++) {
            t[7][s] *= 1.3;
        }
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 10, 80, (w, s) -> t[w][s]);

        assertThat(Jobs.verdict(ticks.get(41), "w7").straggler()).isFalse();
        WorkerVerdict confirmed = Jobs.verdict(ticks.get(42), "w7");
        assertThat(confirmed.straggler()).isTrue();
        assertThat(confirmed.sinceStep()).hasValue(42);
        assertThat(confirmed.ratio()).isBetween(1.25, 1.35);
        assertThat(confirmed.score()).isGreaterThanOrEqualTo(0.5);
        assertThat(Jobs.verdict(ticks.get(79), "w7").sinceStep()).hasValue(42);
        assertThat(ticks.get(79).detections()).extracting(Detection::workerId).containsExactly("w7");
    }

    @Test
    void workerIsClearedWhenItsSlowdownEnds() {
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 6, 60,
                (w, s) -> w == 2 && s >= 10 && s < 30 ? 150.0 : 100.0);

        assertThat(Jobs.verdict(ticks.get(29), "w2").straggler()).isTrue();
        assertThat(Jobs.verdict(ticks.get(35), "w2").straggler()).isFalse();
        assertThat(Jobs.verdict(ticks.get(35), "w2").cause()).isEqualTo(Cause.NONE);
        assertThat(Jobs.verdict(ticks.get(35), "w2").score()).isLessThan(0.5);
    }

    @Test
    void flagsTheSlowHalfOfAJobAgainstTheFastGroup() {
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 10, 20, (w, s) -> w < 5 ? 100.0 : 130.0);
        TickAssessment last = ticks.getLast();

        assertThat(last.idealLevel()).isEqualTo(100.0);
        assertThat(last.jobSlowdown()).isEqualTo(1.3);
        assertThat(last.detections()).extracting(Detection::workerId)
                .containsExactlyInAnyOrder("w5", "w6", "w7", "w8", "w9");
        // Slow from their first samples, without telemetry: the rules call it hardware imbalance.
        assertThat(last.detections()).allSatisfy(d -> assertThat(d.cause()).isEqualTo(Cause.IMBALANCE));
    }

    @Test
    void noisyJobRaisesTheThresholdSoNoiseDoesNotAlarm() {
        Random random = new Random(11);
        double[][] t = Jobs.noisy(10, 300, 0.15, random);
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config.withNoiseZ(8)), 10, 300, (w, s) -> t[w][s]);
        List<TickAssessment> naive = Jobs.run(Jobs.tracker(config.withNoiseZ(0)), 10, 300, (w, s) -> t[w][s]);

        assertThat(ticks.getLast().threshold()).isGreaterThan(1.3);
        assertThat(alarms(ticks)).isLessThan(alarms(naive) / 10 + 1);
        assertThat(alarms(naive)).isGreaterThan(20);
    }

    private static long alarms(List<TickAssessment> ticks) {
        return ticks.stream().mapToLong(t -> t.detections().size()).sum();
    }

    @Test
    void quietJobKeepsTheConfiguredThreshold() {
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config.withNoiseZ(8)), 10, 30, (w, s) -> 100.0 + w);
        assertThat(ticks.getLast().threshold()).isEqualTo(1.10);
    }

    @Test
    void workerWithTooFewSamplesIsNotFlaggedYet() {
        List<TickAssessment> ticks = Jobs.run(Jobs.tracker(config), 4, 3, (w, s) -> w == 0 ? 300.0 : 100.0);

        assertThat(Jobs.verdict(ticks.get(1), "w0").straggler()).isFalse();
        assertThat(Jobs.verdict(ticks.get(1), "w0").score()).isLessThan(0.5);
        assertThat(Jobs.verdict(ticks.get(2), "w0").straggler()).isTrue();
    }

    @Test
    void rejectsStepsThatDoNotMoveForward() {
        JobTracker tracker = Jobs.tracker(config);
        tracker.advance(5, Map.of("w0", WorkerSample.of(5, 10)), Map.of());

        assertThatThrownBy(() -> tracker.advance(5, Map.of("w0", WorkerSample.of(5, 10)), Map.of()))
                .hasMessageContaining("step 5 after step 5");
        assertThatThrownBy(() -> tracker.advance(6, Map.of("w0", WorkerSample.of(7, 10)), Map.of()))
                .hasMessageContaining("sample of step 7 given as step 6");
    }
}
