package dev.coxswain.app.bench;

import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.trainer.inject.InjectionPlanParser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CauseBenchmarkTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private static StragglerEpisode episode(String worker, String cause, int fromSec, int toSec, boolean ended) {
        Instant start = T0.plusSeconds(fromSec);
        Instant last = T0.plusSeconds(toSec);
        return new StragglerEpisode("job", worker, Optional.empty(), -1, cause, "", 1.5, 0.8, 1.0, fromSec,
                Optional.of(start), start, toSec, last,
                ended ? Optional.of(new StragglerEpisode.End(toSec, last, StragglerEpisode.EndReason.RECOVERED))
                        : Optional.empty());
    }

    private static CauseBenchmark.Injection injection(String worker, String fault, int fromSec, int toSec) {
        return new CauseBenchmark.Injection(worker, fault, T0.plusSeconds(fromSec), T0.plusSeconds(toSec));
    }

    @Test
    void theScenarioParsesAndEveryWorkerMeetsEveryFaultKind() {
        List<String> lines = CauseBenchmark.scenario(20);
        var scenario = InjectionPlanParser.parse(String.join("\n", lines), "bench");
        assertThat(scenario.injections()).hasSize(20);
        assertThat(scenario.injections().stream().map(i -> i.worker() + "/" + i.kind()).distinct().count())
                .as("4 workers x 4 fault kinds").isEqualTo(16);
        assertThat(scenario.injections().get(1).at()).isEqualTo(scenario.injections().get(0).at().plusSeconds(45));
    }

    @Test
    void episodesMatchTheInjectionOnTheirWorkerInForceOrJustEnded() {
        List<CauseBenchmark.Injection> injections = List.of(
                injection("w0", "slowdown", 30, 55),
                injection("w1", "latency", 75, 100),
                injection("w2", "input", 120, 145));
        StragglerEpisode right = episode("w0", "imbalance", 32, 60, true);
        StragglerEpisode wrongCause = episode("w1", "imbalance", 77, 101, true);
        StragglerEpisode otherWorker = episode("w3", "network", 80, 90, true);
        StragglerEpisode afterGrace = episode("w0", "imbalance", 64, 70, true);
        List<CauseBenchmark.Outcome> outcomes = CauseBenchmark.score(injections,
                List.of(right, wrongCause, otherWorker, afterGrace));
        assertThat(outcomes).extracting(CauseBenchmark.Outcome::expected)
                .containsExactly(Cause.IMBALANCE, Cause.NETWORK, Cause.HOST_CONTENTION);
        assertThat(outcomes.get(0).episodes()).containsExactly(right);
        assertThat(outcomes.get(0).correct()).isEqualTo(1);
        assertThat(outcomes.get(1).episodes()).containsExactly(wrongCause);
        assertThat(outcomes.get(1).correct()).isZero();
        assertThat(outcomes.get(2).detected()).isFalse();
    }

    @Test
    void causeAccuracyCountsTheBoardsThatShowedAnEpisodeWithEachCause() {
        StragglerEpisode flipped = episode("w1", "imbalance", 77, 101, true);
        CauseBenchmark.Outcome o = CauseBenchmark.score(List.of(injection("w1", "latency", 75, 100)),
                List.of(flipped)).get(0);
        assertThat(o.boards(Map.of(flipped.id(), Map.of("network", 45, "imbalance", 3)))).containsExactly(48, 45);
        assertThat(o.boards(Map.of())).as("never shown open: its last cause, once").containsExactly(1, 0);
    }

    @Test
    void anOpenEpisodeCountsUntilItsLastUpdate() {
        StragglerEpisode open = episode("w2", "host_contention", 125, 130, false);
        assertThat(CauseBenchmark.score(List.of(injection("w2", "input", 120, 145)), List.of(open)).get(0).correct())
                .isEqualTo(1);
        StragglerEpisode before = episode("w2", "host_contention", 100, 110, true);
        assertThat(CauseBenchmark.score(List.of(injection("w2", "input", 120, 145)), List.of(before)).get(0)
                .detected()).isFalse();
    }

    @Test
    void aFaultWithoutAnExpectedCauseIsRefused() {
        assertThatThrownBy(() -> CauseBenchmark.expected("crash")).hasMessageContaining("crash");
    }
}
