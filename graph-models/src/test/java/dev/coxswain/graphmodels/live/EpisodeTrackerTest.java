package dev.coxswain.graphmodels.live;

import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.EpisodeEvent.Kind;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.detect.Detection;
import dev.coxswain.graphmodels.detect.JobAssessment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpisodeTrackerTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final EpisodeTracker tracker = new EpisodeTracker(2, 0.05, Duration.ZERO);

    private static Detection slow(String worker, double slowdown, Cause cause, long since) {
        return new Detection("job", worker, slowdown, cause, 0.9, 0.8, since, Optional.of(T0.plusSeconds(since)));
    }

    private static JobAssessment at(long step, Detection... detections) {
        return new JobAssessment("job", step, 1, 100, 1.2, List.of(detections));
    }

    /** Every worker reported {@code lastStep}; w1 is on node n1, GPU 3. */
    private static JobContext context(long lastStep) {
        Map<String, JobContext.WorkerFacts> facts = new HashMap<>();
        for (String w : List.of("w0", "w1", "w2")) {
            facts.put(w, new JobContext.WorkerFacts(Optional.of("n1"), w.equals("w1") ? 3 : 0, lastStep,
                    Optional.empty(), Optional.empty(), OptionalDouble.empty()));
        }
        return new JobContext("job", facts);
    }

    private List<EpisodeEvent> observe(long step, Detection... detections) {
        return tracker.observe(at(step, detections), context(step), T0.plusSeconds(step));
    }

    @Test
    void startsAnEpisodeWhenAWorkerIsFirstDetected() {
        assertThat(observe(9)).isEmpty();
        List<EpisodeEvent> events = observe(10, slow("w1", 1.5, Cause.GPU_COMPUTE, 10));

        assertThat(events).extracting(EpisodeEvent::kind).containsExactly(Kind.START);
        StragglerEpisode e = events.getFirst().episode();
        assertThat(e.id()).isEqualTo("job/w1/10");
        assertThat(e.cause()).isEqualTo("gpu_compute");
        assertThat(e.nodeId()).contains("n1");
        assertThat(e.gpuIndex()).isEqualTo(3);
        assertThat(e.slowdown()).isEqualTo(1.5);
        assertThat(e.since()).contains(T0.plusSeconds(10));
        assertThat(e.startedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(tracker.changed()).isTrue();
    }

    @Test
    void aDetectionShorterThanTheHoldIsNeverAnnounced() {
        EpisodeTracker held = new EpisodeTracker(2, 0.05, Duration.ofSeconds(2));
        // Steps one second apart: detected at steps 10 and 11 (1 s), gone at 12.
        assertThat(held.observe(at(10, slow("w1", 1.3, Cause.NETWORK, 10)), context(10), T0.plusSeconds(10)))
                .isEmpty();
        assertThat(held.observe(at(11, slow("w1", 1.3, Cause.NETWORK, 10)), context(11), T0.plusSeconds(11)))
                .isEmpty();
        assertThat(held.observe(at(12), context(12), T0.plusSeconds(12))).isEmpty();
        // Detected again from step 13: the hold starts over, and the episode is announced once it has lasted 2 s.
        assertThat(held.observe(at(13, slow("w1", 1.3, Cause.NETWORK, 13)), context(13), T0.plusSeconds(13)))
                .isEmpty();
        assertThat(held.observe(at(14, slow("w1", 1.3, Cause.NETWORK, 13)), context(14), T0.plusSeconds(14)))
                .isEmpty();
        List<EpisodeEvent> events = held.observe(at(15, slow("w1", 1.3, Cause.NETWORK, 13)), context(15),
                T0.plusSeconds(15));
        assertThat(events).extracting(EpisodeEvent::kind).containsExactly(Kind.START);
        assertThat(events.getFirst().episode().sinceStep()).isEqualTo(13);
        assertThat(events.getFirst().episode().startedAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(held.board(1, T0.plusSeconds(15), "rules").recent()).as("nothing ended").isEmpty();
    }

    @Test
    void aNewConfirmationStepRestartsTheHold() {
        EpisodeTracker held = new EpisodeTracker(2, 0.05, Duration.ofSeconds(2));
        held.observe(at(10, slow("w1", 1.3, Cause.NETWORK, 10)), context(10), T0.plusSeconds(10));
        held.observe(at(11, slow("w1", 1.3, Cause.NETWORK, 11)), context(11), T0.plusSeconds(11));
        assertThat(held.observe(at(12, slow("w1", 1.3, Cause.NETWORK, 11)), context(12), T0.plusSeconds(12)))
                .isEmpty();
        assertThat(held.observe(at(13, slow("w1", 1.3, Cause.NETWORK, 11)), context(13), T0.plusSeconds(13)))
                .extracting(EpisodeEvent::kind).containsExactly(Kind.START);
    }

    @Test
    void sendsAnUpdateOnlyWhenTheCauseChangesOrTheSlowdownMovesEnough() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10));

        assertThat(observe(11, slow("w1", 1.53, Cause.IMBALANCE, 10))).isEmpty();
        assertThat(observe(12, slow("w1", 1.54, Cause.GPU_COMPUTE, 10))).extracting(EpisodeEvent::kind)
                .containsExactly(Kind.UPDATE);
        assertThat(observe(13, slow("w1", 1.58, Cause.GPU_COMPUTE, 10))).isEmpty();
        List<EpisodeEvent> moved = observe(14, slow("w1", 1.60, Cause.GPU_COMPUTE, 10));
        assertThat(moved).extracting(EpisodeEvent::kind).containsExactly(Kind.UPDATE);
        assertThat(moved.getFirst().episode().startedAt()).isEqualTo(T0.plusSeconds(10));
        assertThat(moved.getFirst().episode().lastStep()).isEqualTo(14);
    }

    @Test
    void theBoardAlwaysShowsTheLatestValues() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10));
        observe(11, slow("w1", 1.52, Cause.IMBALANCE, 10));

        StragglerBoard board = tracker.board(7, T0, "rules");
        assertThat(board.open()).singleElement().satisfies(e -> {
            assertThat(e.slowdown()).isEqualTo(1.52);
            assertThat(e.lastStep()).isEqualTo(11);
        });
        assertThat(board.generation()).isEqualTo(7);
        assertThat(board.detector()).isEqualTo("rules");
        assertThat(tracker.changed()).isFalse();
    }

    @Test
    void endsTheEpisodeWhenNewStepsNoLongerShowTheWorker() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10));
        assertThat(tracker.observe(new JobAssessment("job", 10, 0, 100, 1.2, List.of()), context(10),
                T0.plusSeconds(11))).as("no new step, no news").isEmpty();

        List<EpisodeEvent> events = observe(12);

        assertThat(events).extracting(EpisodeEvent::kind).containsExactly(Kind.END);
        StragglerEpisode.End end = events.getFirst().episode().end().orElseThrow();
        assertThat(end.reason()).isEqualTo(EndReason.RECOVERED);
        assertThat(end.step()).isEqualTo(12);
        assertThat(end.at()).isEqualTo(T0.plusSeconds(12));
        assertThat(tracker.board(1, T0, "rules").open()).isEmpty();
    }

    @Test
    void saysTheWorkerIsGoneWhenItStoppedReporting() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10));
        Map<String, JobContext.WorkerFacts> facts = new HashMap<>(context(20).workers());
        facts.put("w1", new JobContext.WorkerFacts(Optional.of("n1"), 3, 14, Optional.empty(), Optional.empty(),
                OptionalDouble.empty()));

        List<EpisodeEvent> events = tracker.observe(at(20), new JobContext("job", facts), T0.plusSeconds(20));

        assertThat(events.getFirst().episode().end().orElseThrow().reason()).isEqualTo(EndReason.WORKER_GONE);
    }

    @Test
    void endsTheOpenEpisodesOfAJobThatLeftTheSnapshot() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10), slow("w2", 1.3, Cause.NETWORK, 10));

        List<EpisodeEvent> events = tracker.jobGone("job", T0.plusSeconds(30));

        assertThat(events).extracting(e -> e.episode().workerId()).containsExactlyInAnyOrder("w1", "w2");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.END);
            assertThat(e.episode().end().orElseThrow().reason()).isEqualTo(EndReason.JOB_GONE);
        });
        assertThat(tracker.jobGone("job", T0)).isEmpty();
        assertThat(tracker.jobsWithOpenEpisodes()).isEmpty();
    }

    @Test
    void anotherConfirmationStepIsAnotherEpisode() {
        observe(10, slow("w1", 1.5, Cause.IMBALANCE, 10));

        List<EpisodeEvent> events = observe(20, slow("w1", 1.5, Cause.IMBALANCE, 18));

        assertThat(events).extracting(EpisodeEvent::kind).containsExactly(Kind.END, Kind.START);
        assertThat(events).extracting(e -> e.episode().id()).containsExactly("job/w1/10", "job/w1/18");
    }

    @Test
    void keepsTheLastFewEndedEpisodesNewestFirst() {
        for (long s = 10; s < 40; s += 10) {
            observe(s, slow("w1", 1.5, Cause.IMBALANCE, s));
            observe(s + 5);
        }

        StragglerBoard board = tracker.board(1, T0, "rules");

        assertThat(board.recent()).extracting(StragglerEpisode::id).containsExactly("job/w1/30", "job/w1/20");
    }

    @Test
    void marksAnOpenEpisodeMitigatedByTheActionThatReachedItsWorker() {
        observe(10, slow("w1", 2.0, Cause.IMBALANCE, 10));
        JobEvent before = new JobEvent("job", Optional.of("w1"), T0.plusSeconds(5), "knob.applied",
                Map.of("knob", "batch_size", "value", "64", "action", "old-action"));
        JobEvent otherWorker = new JobEvent("job", Optional.of("w2"), T0.plusSeconds(12), "knob.applied",
                Map.of("knob", "batch_size", "value", "80", "action", "a-1"));
        JobEvent byHand = new JobEvent("job", Optional.of("w1"), T0.plusSeconds(12), "knob.applied",
                Map.of("knob", "batch_size", "value", "40"));
        assertThat(tracker.mitigations("job", List.of(before, otherWorker, byHand), Set.of(), T0.plusSeconds(12)))
                .isEmpty();

        JobEvent applied = new JobEvent("job", Optional.of("w1"), T0.plusSeconds(12), "knob.applied",
                Map.of("knob", "batch_size", "value", "37", "action", "a-1"));
        List<EpisodeEvent> events = tracker.mitigations("job", List.of(before, applied), Set.of(),
                T0.plusSeconds(13));
        assertThat(events).extracting(EpisodeEvent::kind).containsExactly(Kind.UPDATE);
        assertThat(events.getFirst().episode().mitigatedBy()).contains("a-1");
        assertThat(tracker.mitigations("job", List.of(applied), Set.of(), T0.plusSeconds(14))).as("once").isEmpty();

        observe(14, slow("w1", 1.9, Cause.IMBALANCE, 10));
        assertThat(tracker.board(1, T0.plusSeconds(14), "rules").open().getFirst().mitigatedBy())
                .as("kept while the episode goes on").contains("a-1");
        JobEvent jobWide = new JobEvent("job", Optional.empty(), T0.plusSeconds(15), "knob.applied",
                Map.of("knob", "staleness", "value", "3", "action", "a-2"));
        assertThat(tracker.mitigations("job", List.of(applied, jobWide), Set.of(), T0.plusSeconds(15)).getFirst()
                .episode().mitigatedBy()).contains("a-2");
        List<EpisodeEvent> end = observe(20);
        assertThat(end.getFirst().episode().end()).isPresent();
        assertThat(end.getFirst().episode().mitigatedBy()).contains("a-2");
    }

    @Test
    void marksAnEpisodeMitigatedByAnEarlierActionThatAlreadyShiftedWorkAwayFromItsWorker() {
        observe(10, slow("w1", 2.0, Cause.IMBALANCE, 10));
        JobEvent rebalanced = new JobEvent("job", Optional.of("w1"), T0.plusSeconds(5), "knob.applied",
                Map.of("knob", "batch_size", "value", "37", "action", "a-1"));
        JobEvent otherKnob = new JobEvent("job", Optional.of("w1"), T0.plusSeconds(6), "knob.applied",
                Map.of("knob", "learning_rate", "value", "0.05", "action", "a-0"));
        assertThat(tracker.mitigations("job", List.of(rebalanced, otherKnob), Set.of(), T0.plusSeconds(12)))
                .as("its batch is back at the median: the earlier action no longer holds").isEmpty();

        List<EpisodeEvent> events = tracker.mitigations("job", List.of(rebalanced, otherKnob), Set.of("w1"),
                T0.plusSeconds(12));
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().episode().mitigatedBy()).as("the action that set its batch").contains("a-1");
    }

    /** An episode another detector announced at step 10 (then died), for w1, as it last announced it. */
    private static StragglerEpisode announcedElsewhere() {
        return new StragglerEpisode("job", "w1", Optional.of("n1"), 3, "gpu_compute", "", 1.5, 0.9, 0.8, 10,
                Optional.of(T0.plusSeconds(10)), T0.plusSeconds(10), 14, T0.plusSeconds(14), Optional.empty());
    }

    @Test
    void aTakenOverEpisodeGoesOnUnderItsOwnIdWhenThisDetectorConfirmsTheWorker() {
        EpisodeTracker held = new EpisodeTracker(2, 0.05, Duration.ofSeconds(2));
        held.adopt(announcedElsewhere(), T0.plusSeconds(20));
        assertThat(held.board(1, T0.plusSeconds(20), "rules").open()).extracting(StragglerEpisode::id)
                .containsExactly("job/w1/10");

        // This detector rebuilt its window and confirms w1 from another step: no new episode, no hold to wait out.
        List<EpisodeEvent> events = held.observe(at(21, slow("w1", 1.52, Cause.GPU_COMPUTE, 18)), context(21),
                T0.plusSeconds(21));
        assertThat(events).isEmpty();
        assertThat(held.board(2, T0.plusSeconds(21), "rules").open()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("job/w1/10");
            assertThat(e.startedAt()).isEqualTo(T0.plusSeconds(10));
            assertThat(e.lastStep()).isEqualTo(21);
        });
        // From then on it follows this detector's confirmation: a different one is a new episode.
        assertThat(held.observe(at(22, slow("w1", 1.52, Cause.GPU_COMPUTE, 18)), context(22), T0.plusSeconds(22)))
                .isEmpty();
        assertThat(held.observe(at(23, slow("w1", 1.52, Cause.GPU_COMPUTE, 23)), context(23), T0.plusSeconds(23)))
                .extracting(EpisodeEvent::kind).containsExactly(Kind.END);
    }

    @Test
    void aTakenOverEpisodeThisDetectorNeverConfirmsEndsAfterTheHold() {
        EpisodeTracker held = new EpisodeTracker(2, 0.05, Duration.ofSeconds(2));
        held.adopt(announcedElsewhere(), T0.plusSeconds(20));

        assertThat(held.observe(at(21), context(21), T0.plusSeconds(21))).isEmpty();
        List<EpisodeEvent> events = held.observe(at(22), context(22), T0.plusSeconds(22));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.END);
            assertThat(e.episode().id()).isEqualTo("job/w1/10");
            assertThat(e.episode().end().orElseThrow().reason()).isEqualTo(EndReason.RECOVERED);
        });
        assertThat(held.board(1, T0.plusSeconds(22), "rules").open()).isEmpty();
    }

    @Test
    void anEpisodeOpenHereIsKeptOverOneTakenOverForTheSameWorker() {
        observe(12, slow("w1", 1.5, Cause.GPU_COMPUTE, 12));
        tracker.adopt(announcedElsewhere(), T0.plusSeconds(13));

        assertThat(tracker.board(1, T0.plusSeconds(13), "rules").open()).extracting(StragglerEpisode::id)
                .containsExactly("job/w1/12");
    }

    @Test
    void anEndedEpisodeCannotBeTakenOver() {
        StragglerEpisode ended = announcedElsewhere().ended(new StragglerEpisode.End(15, T0.plusSeconds(15),
                EndReason.RECOVERED));
        assertThatThrownBy(() -> tracker.adopt(ended, T0.plusSeconds(16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job/w1/10");
    }
}
