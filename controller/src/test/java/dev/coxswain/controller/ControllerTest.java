package dev.coxswain.controller;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome.Status;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlHistory;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.ControlSink;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.snapshot.SnapshotHub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerTest {
    final List<Action> sent = new ArrayList<>();
    final List<ControlRecord> audit = new ArrayList<>();
    final Board detections = new Board();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ControlHistory history = ControlHistory.none();
    long generation;

    /** A detector's board set by the test. */
    static final class Board implements DetectionSource {
        List<StragglerEpisode> open = List.of();

        @Override
        public StragglerBoard latest() {
            return new StragglerBoard(1, Instant.EPOCH, "test", open, List.of());
        }

        @Override
        public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
            return () -> { };
        }
    }

    Controller controller(ControlMode mode) {
        return controller(ControllerSettings.defaults().withMode(mode).withId("c1"));
    }

    /** A controller in act mode with {@code settings} over the defaults. */
    Controller controller(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(Map.of(ControllerSettings.MODE, "act",
                ControllerSettings.ID, "c1"));
        all.putAll(settings);
        return controller(ControllerSettings.from(ControllerSettings.define(new dev.coxswain.core.config.ConfigDef())
                .parse(all)));
    }

    Controller controller(ControllerSettings settings) {
        ControlSink sink = new ControlSink() {
            @Override
            public void send(Action action) {
                sent.add(action);
            }

            @Override
            public void record(ControlRecord record) {
                audit.add(record);
            }
        };
        return new Controller(settings, new SnapshotHub(), detections, sink, history, registry);
    }

    void round(Controller c, Jobs job) {
        c.process(job.snapshot(++generation));
    }

    /**
     * Applies an action as the trainer does: the batches change, a moved worker runs on its new node at full speed
     * (its old device was the slow part), and each worker reports knob.applied.
     */
    static void apply(Jobs job, Action a) {
        for (KnobSetting s : a.settings()) {
            if (s.knob() == Knob.NODE) {
                job.move(s.worker().orElseThrow(), (String) s.value()).speed(s.worker().orElseThrow(), 1500);
            } else {
                job.batch(s.worker().orElseThrow(), s.intValue());
            }
            job.event(s.worker(), "knob.applied", Map.of("knob", s.knob().wireName(), "value",
                    s.value().toString(), "action", a.id()));
        }
    }

    /** Job j whose w3 computes at half speed, with the detector's episode for it open for 3 s. */
    Jobs stragglerPastStabilisation() {
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(30);
        detections.open = List.of(job.episode("w3", "imbalance", 2.0, job.now()));
        return job.advance(Duration.ofSeconds(3));
    }

    List<Status> statuses(String actionId) {
        return audit.stream().filter(r -> r instanceof ActionOutcome o && o.actionId().equals(actionId))
                .map(r -> ((ActionOutcome) r).status()).toList();
    }

    /** The action's latest outcome, or null while it has none. */
    ActionOutcome outcome(Action action) {
        return audit.stream().filter(r -> r instanceof ActionOutcome o && o.actionId().equals(action.id()))
                .map(ActionOutcome.class::cast).reduce((x, y) -> y).orElse(null);
    }

    ActionOutcome outcome(String actionId) {
        return audit.stream().filter(r -> r instanceof ActionOutcome o && o.actionId().equals(actionId))
                .map(ActionOutcome.class::cast).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aHealthyJobGetsNoAction() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = new Jobs("j", 4, 64, 1500);
        for (int i = 0; i < 20; i++) {
            round(c, job.run(10));
        }
        assertThat(sent).isEmpty();
        assertThat(audit).isEmpty();
    }

    @Test
    void rebalancesAStragglerAfterTheStabilisationWindowThenVerifiesTheGain() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(30);
        detections.open = List.of(job.episode("w3", "imbalance", 2.0, job.now()));
        round(c, job.run(5));
        assertThat(sent).as("episode younger than the 2 s stabilisation window").isEmpty();
        job.advance(Duration.ofSeconds(2));
        round(c, job.run(2));
        assertThat(sent).hasSize(1);
        Action a = sent.getFirst();
        assertThat(a.policy()).isEqualTo("rebalance");
        assertThat(a.dryRun()).isFalse();
        assertThat(a.trigger()).contains("w3");
        assertThat(a.issuer()).isEqualTo("c1");
        assertThat(audit.getFirst()).isEqualTo(a);

        round(c, job.run(3));
        assertThat(statuses(a.id())).isEmpty();
        apply(job, a);
        round(c, job.run(1));
        assertThat(statuses(a.id())).containsExactly(Status.APPLIED);
        round(c, job.run(15));
        assertThat(statuses(a.id())).containsExactly(Status.APPLIED, Status.VERIFIED);
        ActionOutcome verified = (ActionOutcome) audit.getLast();
        assertThat(verified.measuredStepTimeMs().getAsDouble()).isLessThan(a.expected().stepTimeMsBefore() * 0.7);
        assertThat(registry.get("coxswain.controller.actions").tags("policy", "rebalance", "outcome", "verified")
                .counter().count()).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            round(c, job.run(10).advance(Duration.ofSeconds(1)));
        }
        assertThat(sent).as("balanced: nothing more to do while w3 stays slow").hasSize(1);
        assertThat(c.latest().entries()).hasSize(1);
        assertThat(c.latest().entries().getFirst().latest().orElseThrow().status()).isEqualTo(Status.VERIFIED);
    }

    @Test
    void rebalancesAnImbalanceItMeasuresOnceTheJobsWarmUpIsOverWithoutAnEpisode() {
        Controller c = controller(Map.of(ControllerSettings.WARMUP_STEPS, "5"));
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750);
        round(c, job.run(12));
        assertThat(sent).as("steps 5-11 after a warm-up of 5: 7 of the 8 compared").isEmpty();
        round(c, job.run(1));
        assertThat(sent).singleElement().satisfies(a -> {
            assertThat(a.policy()).isEqualTo("rebalance");
            assertThat(a.trigger()).contains("w3");
            assertThat(a.reason()).contains("measured, no detector episode yet");
        });
    }

    @Test
    void anActionThatMakesThingsWorseIsRolledBack() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(c, job.run(2));
        Action a = sent.getFirst();
        apply(job, a);
        job.speed("w0", 300); // the extra work landed on a worker that has just become very slow
        round(c, job.run(1));
        round(c, job.run(15));
        assertThat(statuses(a.id())).containsExactly(Status.APPLIED, Status.ROLLED_BACK);
        Action back = sent.get(1);
        assertThat(back.revertOf()).contains(a.id());
        assertThat(back.policy()).isEqualTo("rollback");
        assertThat(back.settings()).extracting(KnobSetting::intValue).containsOnly(64);
        apply(job, back);
        round(c, job.run(1));
        assertThat(statuses(back.id())).containsExactly(Status.APPLIED, Status.VERIFIED);
    }

    @Test
    void adviseModePublishesDryRunsAndAppliesNothing() {
        Controller c = controller(ControlMode.ADVISE);
        Jobs job = stragglerPastStabilisation();
        for (int i = 0; i < 10; i++) {
            round(c, job.run(2));
        }
        assertThat(sent).isEmpty();
        Action advised = (Action) audit.getFirst();
        assertThat(advised.dryRun()).isTrue();
        assertThat(statuses(advised.id())).containsExactly(Status.ADVISED);
        assertThat(audit).as("at most one advice per interval").hasSize(2);
    }

    @Test
    void anActionNotAppliedByItsDeadlineIsRejectedAndAJobSetOffIsLeftAlone() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(c, job.run(2));
        Action a = sent.getFirst();
        job.advance(Duration.ofSeconds(31));
        round(c, job.run(1));
        assertThat(statuses(a.id())).containsExactly(Status.REJECTED);
        assertThat(outcome(a.id()).detail()).contains("not applied by the deadline");

        c.setMode("j", ControlMode.OFF, "test");
        job.advance(Duration.ofSeconds(60));
        round(c, job.run(5));
        assertThat(sent).hasSize(1);
        assertThat(c.latest().modeOf("j")).isEqualTo(ControlMode.OFF);
    }

    @Test
    void aJobRefusalIsRecordedWithItsReason() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(c, job.run(2));
        Action a = sent.getFirst();
        job.event(Optional.of("w0"), "knob.rejected", Map.of("knob", "batch_size", "value", "73", "action", a.id(),
                "reason", "above the job's limit"));
        round(c, job.run(1));
        assertThat(statuses(a.id())).containsExactly(Status.REJECTED);
        assertThat(outcome(a.id()).detail()).contains("w0.batch_size=73", "above the job's limit");
    }

    @Test
    void aPersonCanRollBackAnAppliedAction() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(c, job.run(2));
        Action a = sent.getFirst();
        assertThat(c.rollback(a.id(), "alice")).contains("action " + a.id() + " is not applied yet: only an "
                + "applied action can be rolled back");
        apply(job, a);
        round(c, job.run(1));
        assertThat(c.rollback("nope", "alice")).contains("no recent action nope");
        assertThat(c.rollback(a.id(), "alice")).isEmpty();
        round(c, job.run(1));
        Action back = sent.getLast();
        assertThat(back.revertOf()).contains(a.id());
        assertThat(back.issuer()).isEqualTo("alice");
    }

    @Test
    void aControllerTakingAJobOverFollowsTheActionInFlightAndRepeatsNothing() {
        Controller a = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(a, job.run(2));
        Action sent = this.sent.getFirst();
        List<ControlRecord> log = List.copyOf(audit);

        history = j -> j.equals("j") ? log : List.of();
        Controller b = controller(ControlMode.ACT);
        round(b, job.run(2));
        assertThat(this.sent).as("the old batches still show, but the action is in flight").hasSize(1);
        assertThat(b.latest().find(sent.id())).isPresent();
        apply(job, sent);
        round(b, job.run(1));
        round(b, job.run(15));
        assertThat(statuses(sent.id())).containsExactly(Status.APPLIED, Status.VERIFIED);
        for (int i = 0; i < 10; i++) {
            round(b, job.run(10).advance(Duration.ofSeconds(2)));
        }
        assertThat(this.sent).hasSize(1);
    }

    @Test
    void aControllerTakingAJobOverKeepsItsRateLimitAndItsBaseline() {
        Controller a = controller(ControlMode.ACT);
        Jobs job = stragglerPastStabilisation();
        round(a, job.run(2));
        Action first = sent.getFirst();
        assertThat(first.previous()).extracting(KnobSetting::intValue).containsOnly(64);
        apply(job, first);
        round(a, job.run(1));
        round(a, job.run(15));
        List<ControlRecord> log = List.copyOf(audit);

        history = j -> log;
        Controller b = controller(ControlMode.ACT);
        detections.open = List.of();
        job.speed("w3", 1500);
        for (int i = 0; i < 30; i++) {
            round(b, job.run(5).advance(Duration.ofSeconds(1)));
        }
        Action restore = sent.getLast();
        assertThat(sent).hasSize(2);
        assertThat(restore.reason()).contains("even again");
        assertThat(restore.settings()).extracting(KnobSetting::intValue).containsOnly(64);
    }

    @Test
    void stabilisationCountsFromTheDetectorsConfirmation() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(30);
        StragglerEpisode announced = job.episode("w3", "imbalance", 2.0, job.now());
        detections.open = List.of(new StragglerEpisode("j", "w3", Optional.empty(), -1, "imbalance", "", 2.0, 0.9, 1,
                20, Optional.of(job.now().minusSeconds(2)), announced.startedAt(), 20, announced.startedAt(),
                Optional.empty()));
        round(c, job.run(1));
        assertThat(sent).as("confirmed 2 s before its announcement, past the 1 s window").hasSize(1);
    }

    @Test
    void noActionOnStaleData() {
        Controller c = controller(ControlMode.ACT);
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).run(30);
        detections.open = List.of(job.episode("w3", "imbalance", 2.0, job.now()));
        job.advance(Duration.ofSeconds(30));
        round(c, job);
        assertThat(sent).isEmpty();
    }

    @Test
    void aPersonsChangeIsSentAndMeasuredButNeverRolledBackAndOutOfBoundsOnesAreRejected() {
        Controller c = controller(ControlMode.ADVISE);
        Jobs job = new Jobs("j", 4, 64, 1500).run(30);
        assertThat(c.manual("j", List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 32)), "try", "alice"))
                .as("the job has not been seen yet").isPresent();
        round(c, job.run(1));
        assertThat(c.manual("j", List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 128)), "more work on w0",
                "alice")).isEmpty();
        round(c, job.run(1));
        Action manual = sent.getFirst();
        assertThat(manual.policy()).isEqualTo("manual");
        assertThat(manual.issuer()).isEqualTo("alice");
        assertThat(manual.dryRun()).as("a person's change is applied whatever the mode").isFalse();
        assertThat(manual.previous()).containsExactly(KnobSetting.worker("w0", Knob.BATCH_SIZE, 64));
        apply(job, manual);
        round(c, job.run(1));
        round(c, job.run(15));
        assertThat(statuses(manual.id())).as("slower steps, but a person asked for it")
                .containsExactly(Status.APPLIED, Status.VERIFIED);

        assertThat(c.manual("j", List.of(KnobSetting.job(Knob.STALENESS, 9)), "loosen", "alice"))
                .contains("staleness=9: above the controller's maximum staleness 8");
        round(c, job.run(1));
        Action refused = (Action) audit.stream().filter(r -> r instanceof Action a && !a.id().equals(manual.id()))
                .findFirst().orElseThrow();
        assertThat(statuses(refused.id())).containsExactly(Status.REJECTED);
        assertThat(sent).hasSize(1);
    }

    @Test
    void climbsTheLadderToAMoveOnceTheStragglerHasCostMoreThanAMoveThenRestoresTheBatches() {
        Controller c = controller(Map.of(ControllerSettings.SPARES, "node-e", ControllerSettings.MIGRATION_COST,
                "10s"));
        Jobs job = new Jobs("j", 4, 64, 1500).speed("w3", 750).onNodes("node-a", "node-b", "node-c", "node-d")
                .run(30);
        detections.open = List.of(job.episode("w3", "imbalance", 2.0, job.now()));
        round(c, job.advance(Duration.ofSeconds(3)).run(2));
        Action rebalance = sent.getFirst();
        assertThat(rebalance.policy()).isEqualTo("rebalance");
        apply(job, rebalance);
        for (int i = 0; i < 200 && sent.size() == 1; i++) {
            round(c, job.run(10).advance(Duration.ofSeconds(1)));
        }
        assertThat(statuses(rebalance.id())).containsExactly(Status.APPLIED, Status.VERIFIED);
        assertThat(sent).as("the move, once w3 has cost the job more than 10 s").hasSize(2);
        Action move = sent.get(1);
        assertThat(move.policy()).isEqualTo("migrate");
        assertThat(move.settings()).containsExactly(KnobSetting.worker("w3", Knob.NODE, "node-e"));
        assertThat(move.previous()).containsExactly(KnobSetting.worker("w3", Knob.NODE, "node-d"));
        assertThat(move.evidence().get("lost_ms")).isGreaterThanOrEqualTo(10_000);
        Duration sinceConfirmed = Duration.between(detections.open.getFirst().confirmedAt(), move.issuedAt());
        assertThat(sinceConfirmed).as("no earlier than the rent reached the price").isGreaterThan(Duration.ofSeconds(80));

        apply(job, move);
        detections.open = List.of();
        round(c, job.run(1));
        round(c, job.run(15));
        assertThat(statuses(move.id())).containsExactly(Status.APPLIED, Status.VERIFIED);
        for (int i = 0; i < 60 && sent.size() == 2; i++) {
            round(c, job.run(10).advance(Duration.ofSeconds(1)));
        }
        Action restore = sent.get(2);
        assertThat(restore.policy()).as("w3 is as fast as its peers on the spare: the batches go back")
                .isEqualTo("rebalance");
        assertThat(restore.settings()).extracting(KnobSetting::intValue).containsOnly(64);
        apply(job, restore);
        for (int i = 0; i < 30; i++) {
            round(c, job.run(10).advance(Duration.ofSeconds(1)));
        }
        assertThat(sent).as("healthy, even, on the spare: nothing more").hasSize(3);
    }

    @Test
    void movesNoMoreWorkersAtOnceThanAllowedAndNeverTwoToOneSpare() {
        for (int limit : new int[]{1, 2}) {
            sent.clear();
            Controller c = controller(Map.of(ControllerSettings.SPARES, "node-e,node-f",
                    ControllerSettings.MIGRATION_COST, "1s", ControllerSettings.MAX_MIGRATIONS,
                    Integer.toString(limit)));
            Jobs a = slowDevice("a", "a-");
            Jobs b = slowDevice("b", "b-");
            detections.open = List.of(a.episode("w3", "imbalance", 2.0, a.now().minusSeconds(60)),
                    b.episode("w3", "imbalance", 2.0, b.now().minusSeconds(60)));
            List<Action> moves = new ArrayList<>();
            for (int i = 0; i < 25; i++) { // about 40 s: within the first move's 30 s deadline
                c.process(twoJobs(a.run(10), b.run(10)));
                for (Action x : List.copyOf(sent)) {
                    if (x.policy().equals("rebalance") && !moves.contains(x)) {
                        apply(x.job().equals("a") ? a : b, x);   // rebalances land; the moves stay in flight
                        moves.add(x);
                    }
                }
                a.advance(Duration.ofSeconds(1));
                b.advance(Duration.ofSeconds(1));
            }
            List<Action> migrations = sent.stream().filter(x -> x.policy().equals("migrate")).toList();
            assertThat(migrations).as("moves in flight with a limit of " + limit).hasSize(limit);
            assertThat(migrations).allMatch(x -> outcome(x) == null, "none applied or judged yet");
            assertThat(migrations).extracting(x -> x.settings().getFirst().value()).doesNotHaveDuplicates();
        }
    }

    /** A synchronous job whose w3 runs on a device at half speed, its nodes named by prefix. */
    static Jobs slowDevice(String id, String prefix) {
        return new Jobs(id, 4, 64, 1500).speed("w3", 750)
                .onNodes(prefix + "0", prefix + "1", prefix + "2", prefix + "3").run(30);
    }

    @Test
    void aJobsLabelSetsItsModeUnlessAPersonSetOne() {
        Controller c = controller(ControlMode.ADVISE);
        Jobs job = new Jobs("j", 4, 64, 1500).event(Optional.empty(), "job.start", Map.of("controller", "act"))
                .speed("w3", 750).run(30);
        detections.open = List.of(job.episode("w3", "imbalance", 2.0, job.now()));
        round(c, job.advance(Duration.ofSeconds(3)).run(2));
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().dryRun()).as("the job asked for act").isFalse();
        assertThat(c.latest().jobModes()).containsEntry("j", ControlMode.ACT);

        Controller off = controller(ControlMode.ACT);
        Jobs quiet = new Jobs("q", 4, 64, 1500).event(Optional.empty(), "job.start", Map.of("controller", "off"))
                .speed("w3", 750).run(30);
        detections.open = List.of(quiet.episode("w3", "imbalance", 2.0, quiet.now()));
        sent.clear();
        round(off, quiet.advance(Duration.ofSeconds(3)).run(2));
        assertThat(sent).as("the job opted out").isEmpty();
        off.setMode("q", ControlMode.ACT, "alice");
        round(off, quiet.run(2));
        assertThat(sent).as("a person's setting wins over the label").hasSize(1);
    }

    static dev.coxswain.snapshot.ClusterSnapshot twoJobs(Jobs a, Jobs b) {
        var empty = SnapshotHub.empty();
        Instant at = a.now().isAfter(b.now()) ? a.now() : b.now();
        return new dev.coxswain.snapshot.ClusterSnapshot(at.toEpochMilli(), at, empty.graph(), Map.of(),
                Map.of(), Map.of(), Map.of(a.id(), a.view(), b.id(), b.view()));
    }
}
