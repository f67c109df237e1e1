package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.graphmodels.cause.Cause;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InjectionOutcomeTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(8);

    private static StragglerEpisode episode(String worker, String cause, int fromSec, int toSec, boolean ended) {
        Instant start = T0.plusSeconds(fromSec);
        Instant last = T0.plusSeconds(toSec);
        return new StragglerEpisode("job", worker, Optional.empty(), -1, cause, "", 1.5, 0.8, 1.0, fromSec,
                Optional.of(start), start, toSec, last,
                ended ? Optional.of(new StragglerEpisode.End(toSec, last, StragglerEpisode.EndReason.RECOVERED))
                        : Optional.empty());
    }

    private static Injection injection(String worker, String fault, int fromSec, int toSec) {
        return new Injection(worker, fault, T0.plusSeconds(fromSec), T0.plusSeconds(toSec));
    }

    @Test
    void episodesMatchTheInjectionOnTheirWorkerInForceOrJustEnded() {
        List<Injection> injections = List.of(
                injection("w0", "slowdown", 30, 55),
                injection("w1", "latency", 75, 100),
                injection("w2", "input", 120, 145));
        StragglerEpisode right = episode("w0", "imbalance", 32, 60, true);
        StragglerEpisode wrongCause = episode("w1", "imbalance", 77, 101, true);
        StragglerEpisode otherWorker = episode("w3", "network", 80, 90, true);
        StragglerEpisode afterGrace = episode("w0", "imbalance", 64, 70, true);
        List<InjectionOutcome> outcomes = InjectionOutcome.score(injections,
                List.of(right, wrongCause, otherWorker, afterGrace), GRACE);
        assertThat(outcomes).extracting(InjectionOutcome::expected)
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
        InjectionOutcome o = InjectionOutcome.score(List.of(injection("w1", "latency", 75, 100)),
                List.of(flipped), GRACE).get(0);
        assertThat(o.boards(Map.of(flipped.id(), Map.of("network", 45, "imbalance", 3)))).containsExactly(48, 45);
        assertThat(o.boards(Map.of())).as("never shown open: its last cause, once").containsExactly(1, 0);
    }

    @Test
    void anOpenEpisodeCountsUntilItsLastUpdate() {
        StragglerEpisode open = episode("w2", "host_contention", 125, 130, false);
        assertThat(InjectionOutcome.score(List.of(injection("w2", "input", 120, 145)), List.of(open), GRACE).get(0)
                .correct())
                .isEqualTo(1);
        StragglerEpisode before = episode("w2", "host_contention", 100, 110, true);
        assertThat(InjectionOutcome.score(List.of(injection("w2", "input", 120, 145)), List.of(before), GRACE).get(0)
                .detected()).isFalse();
    }

    @Test
    void aFaultWithoutAnExpectedCauseIsRefused() {
        assertThatThrownBy(() -> injection("w0", "crash", 0, 1).expectedCause()).hasMessageContaining("crash");
    }

    @Test
    void injectionEventsArePairedPerWorkerAndFaultInTimeOrder() {
        List<JobEvent> events = List.of(
                event("w1", "injection.end", "latency", 100),
                event("w0", "injection.start", "slowdown", 30),
                event("w1", "injection.start", "latency", 75),
                event("w0", "step.slow", "slowdown", 40),
                event("w0", "injection.end", "slowdown", 55),
                event("w2", "injection.start", "input", 120));
        assertThat(Injection.paired(events)).as("w2's injection never ended: left out").containsExactly(
                injection("w0", "slowdown", 30, 55), injection("w1", "latency", 75, 100));
    }

    private static JobEvent event(String worker, String kind, String fault, int sec) {
        return new JobEvent("job", Optional.of(worker), T0.plusSeconds(sec), kind, Map.of("fault", fault));
    }
}
