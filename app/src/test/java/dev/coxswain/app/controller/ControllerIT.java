package dev.coxswain.app.controller;

import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.control.KnobSignature;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.DetectionTopicReader;
import dev.coxswain.testkit.TopicReader;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop closed through real components: the reference trainer (w3 2x slower after 10 s) -> agent -> Kafka ->
 * collector -> detector -> controller (act) -> signed action on the knobs topic -> the agent's knob intake -> the
 * trainer's workers -> {@code knob.applied} with the action id -> verified, on the actions topic and the board; the
 * episode marked mitigated. Then forged knob changes (unsigned, signed with another secret) are refused and
 * dead-lettered while a correctly signed one is applied.
 */
class ControllerIT {
    private static final String SECRET = "controller-it-secret-0123456789";
    /** Onset, detection (warm-up, decision delay, hold), stabilisation, then 10 steps measured: on busy cores. */
    private static final Duration LOOP_BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void rebalancesTheSlowedWorkerVerifiesItAndRefusesForgedChanges() throws Exception {
        Settings settings = Settings.load(null, Map.of("kafka.embedded.dir", dir.resolve("kafka").toString(),
                "dashboard.port", "0", "agent.intake.port", "0", "agent.node.id", "it-host",
                "collector.snapshot.interval", "200ms", "detector.model", dir.resolve("no.model").toString(),
                "control.secret", SECRET));
        try (Demo demo = Demo.start(settings, Demo.Job.TRAINER, Duration.ofSeconds(10),
                Map.of("trainer.work.dir", dir.resolve("trainer").toString()), Clock.systemUTC())) {
            KafkaSettings kafka = demo.kafka();
            ActionBoard.Entry entry = awaitVerified(demo);
            Action action = entry.action();
            assertThat(action.policy()).isEqualTo("rebalance");
            assertThat(action.trigger()).contains("w3");
            assertThat(action.dryRun()).isFalse();
            int global = action.settings().stream().mapToInt(KnobSetting::intValue).sum()
                    + 256 * (4 - action.settings().size());
            assertThat(global).as("global batch kept").isEqualTo(1024);
            assertThat(action.settings()).filteredOn(s -> s.worker().orElseThrow().equals("w3"))
                    .singleElement().satisfies(s -> assertThat(s.intValue()).isLessThan(200));
            assertThat(entry.outcomes()).extracting(ActionOutcome::status)
                    .containsExactly(ActionOutcome.Status.APPLIED, ActionOutcome.Status.VERIFIED);

            assertTheAuditLogHas(kafka, action);
            assertEveryWorkerReportedIt(kafka, action);
            assertTheEpisodeIsMitigated(kafka, demo.jobId(), action.id());
            assertForgedChangesAreRefused(kafka, demo.jobId());
        }
    }

    private static ActionBoard.Entry awaitVerified(Demo demo) {
        return Await.value("an action on " + demo.jobId() + " to end", LOOP_BOUND,
                () -> demo.control().latest().entries().stream()
                        .filter(e -> e.action().job().equals(demo.jobId()))
                        .filter(e -> e.latest().filter(o -> o.status().last()).isPresent()).findFirst(),
                () -> demo.control().latest().entries());
    }

    private static List<ControlRecord> decoded(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> ControlCodec.decode(r.value()))
                .filter(ControlCodec.Decoding.Decoded.class::isInstance)
                .map(d -> ((ControlCodec.Decoding.Decoded) d).record()).toList();
    }

    private static void assertTheAuditLogHas(KafkaSettings kafka, Action action) {
        try (TopicReader reader = new TopicReader(kafka, List.of(kafka.topics().actions()))) {
            Predicate<List<ConsumerRecord<String, byte[]>>> verified = rs -> decoded(rs).stream()
                    .anyMatch(r -> r instanceof ActionOutcome o && o.actionId().equals(action.id())
                            && o.status() == ActionOutcome.Status.VERIFIED);
            List<ConsumerRecord<String, byte[]>> records = reader.readUntil(verified, Duration.ofSeconds(20));
            assertThat(records).allSatisfy(r -> assertThat(ControlCodec.decode(r.value()))
                    .isInstanceOf(ControlCodec.Decoding.Decoded.class));
            assertThat(records).allMatch(r -> r.key().equals(action.job()));
            assertThat(decoded(records)).contains(action);
            assertThat(decoded(records)).filteredOn(r -> r instanceof ActionOutcome o && o.actionId().equals(action.id()))
                    .extracting(r -> ((ActionOutcome) r).status())
                    .containsExactly(ActionOutcome.Status.APPLIED, ActionOutcome.Status.VERIFIED);
        }
    }

    private static List<JobEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> TelemetryCodec.decode(r.value()))
                .filter(d -> d instanceof DecodeResult.Decoded x && x.record() instanceof JobEvent)
                .map(d -> (JobEvent) ((DecodeResult.Decoded) d).record()).toList();
    }

    private static Set<String> appliedBy(List<JobEvent> events, String actionId) {
        return events.stream().filter(e -> e.kind().equals("knob.applied")
                        && actionId.equals(e.attributes().get("action")))
                .map(e -> e.workerId().orElse("(job)")).collect(Collectors.toSet());
    }

    private static void assertEveryWorkerReportedIt(KafkaSettings kafka, Action action) {
        Set<String> named = action.settings().stream().map(s -> s.worker().orElseThrow()).collect(Collectors.toSet());
        try (TopicReader reader = new TopicReader(kafka, List.of(kafka.topics().telemetry()))) {
            List<JobEvent> events = events(reader.readUntil(rs -> appliedBy(events(rs), action.id()).equals(named),
                    Duration.ofSeconds(20)));
            assertThat(appliedBy(events, action.id())).isEqualTo(named);
        }
    }

    private static void assertTheEpisodeIsMitigated(KafkaSettings kafka, String job, String actionId) {
        Predicate<EpisodeEvent> mitigated = e -> e.episode().jobId().equals(job)
                && e.episode().workerId().equals("w3") && e.episode().mitigatedBy().equals(Optional.of(actionId));
        try (DetectionTopicReader reader = new DetectionTopicReader(kafka)) {
            List<EpisodeEvent> events = reader.readUntil(es -> es.stream().anyMatch(mitigated),
                    Duration.ofSeconds(20));
            assertThat(events).anyMatch(mitigated);
            assertThat(events).as("w3 does not look recovered while its batch is cut")
                    .noneMatch(e -> e.episode().workerId().equals("w3") && e.kind() == EpisodeEvent.Kind.END);
        }
    }

    private static Action learningRate(String id, String job) {
        Instant now = Instant.now();
        return new Action(id, job, List.of(KnobSetting.job(Knob.LEARNING_RATE, 0.1)), "manual", "the IT", Map.of(),
                new ExpectedEffect(1, 1), "it", false, now, now.plusSeconds(60), Optional.empty(), Optional.empty(),
                List.of());
    }

    private static void assertForgedChangesAreRefused(KafkaSettings kafka, String job) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new ClientConfigs(kafka).producer("it"))) {
            byte[] unsigned = ControlCodec.encode(learningRate("forged-unsigned", job));
            producer.send(new ProducerRecord<>(kafka.topics().knobs(), job, unsigned)).get();
            byte[] forged = ControlCodec.encode(learningRate("forged-other-key", job));
            ProducerRecord<String, byte[]> other = new ProducerRecord<>(kafka.topics().knobs(), job, forged);
            other.headers().add(KnobSignature.HEADER, new KnobSignature("some-other-secret-value")
                    .sign(forged).getBytes(StandardCharsets.US_ASCII));
            producer.send(other).get();
            byte[] genuine = ControlCodec.encode(learningRate("genuine-1", job));
            ProducerRecord<String, byte[]> signed = new ProducerRecord<>(kafka.topics().knobs(), job, genuine);
            signed.headers().add(KnobSignature.HEADER, new KnobSignature(SECRET).sign(genuine)
                    .getBytes(StandardCharsets.US_ASCII));
            producer.send(signed).get();
        }
        try (TopicReader reader = new TopicReader(kafka, List.of(kafka.topics().telemetry()))) {
            List<JobEvent> events = events(reader.readUntil(rs -> !appliedBy(events(rs), "genuine-1").isEmpty(),
                    Duration.ofSeconds(30)));
            assertThat(appliedBy(events, "genuine-1")).containsExactly("(job)");
            assertThat(appliedBy(events, "forged-unsigned")).isEmpty();
            assertThat(appliedBy(events, "forged-other-key")).isEmpty();
        }
        try (TopicReader reader = new TopicReader(kafka, List.of(kafka.topics().deadLetters()))) {
            Predicate<List<ConsumerRecord<String, byte[]>>> both = rs -> reasons(rs)
                    .containsAll(Set.of("knobs.unsigned", "knobs.bad_signature"));
            assertThat(reasons(reader.readUntil(both, Duration.ofSeconds(20))))
                    .contains("knobs.unsigned", "knobs.bad_signature");
        }
    }

    private static Set<String> reasons(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> r.headers().lastHeader(DeadLetters.REASON_HEADER))
                .filter(java.util.Objects::nonNull)
                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
    }
}
