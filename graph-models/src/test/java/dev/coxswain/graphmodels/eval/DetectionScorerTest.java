package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.window.JobWindow;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionScorerTest {

    @Test
    void countsSamplesEpisodesLatencyAndFalseAlarms() {
        // w1 slow for samples 10..29: one episode of 20 samples.
        JobWindow w = OracleLabelsTest.job(4, 40, (wk, t) -> wk == 1 && t >= 10 && t < 30 ? 150.0 : 100.0);
        OracleLabels labels = OracleLabels.of(w);
        Set<WorkerStep> flags = new HashSet<>();
        for (int t = 12; t < 32; t++) {
            flags.add(new WorkerStep("w1", t * 10L));
        }
        flags.add(new WorkerStep("w3", 50));

        DetectionScores s = DetectionScorer.score(labels, flags);

        assertThat(s.tp()).isEqualTo(18);
        assertThat(s.fp()).isEqualTo(3);
        assertThat(s.fn()).isEqualTo(2);
        assertThat(s.episodes()).isEqualTo(1);
        assertThat(s.latencies()).containsExactly(2);
        assertThat(s.medianLatency()).isEqualTo(2.0);
        assertThat(s.alarms()).isEqualTo(2);
        assertThat(s.falseAlarms()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(18.0 / 21);
        assertThat(s.recall()).isEqualTo(0.9);
    }

    @Test
    void peerMedianBaselineNeedsThreeConsecutiveSamples() {
        JobWindow w = OracleLabelsTest.job(5, 20, (wk, t) -> wk == 0 && (t == 3 || t == 4 || t >= 10) ? 120.0 : 100.0);
        Set<WorkerStep> flags = PeerMedianBaseline.standard().flags(w);

        assertThat(flags).doesNotContain(new WorkerStep("w0", 40), new WorkerStep("w0", 110));
        assertThat(flags).contains(new WorkerStep("w0", 120), new WorkerStep("w0", 190));
        assertThat(flags).allSatisfy(f -> assertThat(f.workerId()).isEqualTo("w0"));
    }
}
