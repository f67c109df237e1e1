package dev.coxswain.app.controller;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.EpisodeCodec;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.detection.StragglerEpisode.End;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.testkit.KafkaFixture;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.EpisodeLogReader;
import dev.coxswain.transport.KafkaSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs a collector reads back when it takes jobs over, on a real broker: the episode log (detections topic)
 * gives back the episodes still open, and the audit log (actions topic) the job's records; 10,000 malformed records
 * among the good ones are each refused with a reason naming the field or the place, and stop neither read.
 */
class TakeoverLogsIT {
    private static final int MALFORMED = 10_000;
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @TempDir
    Path dir;

    private static StragglerEpisode episode(String job, String worker, long since) {
        return new StragglerEpisode(job, worker, Optional.of("node-a"), 0, "gpu_compute", "", 1.6, 0.9, 1, since,
                Optional.of(T), T, since + 5, T.plusSeconds(1), Optional.empty());
    }

    private static Action action(String id, String job) {
        return new Action(id, job, List.of(KnobSetting.job(Knob.STALENESS, 2)), "staleness", "w1 is slow", Map.of(),
                new ExpectedEffect(100, 80), "ctl-a", true, T, T.plusSeconds(30), Optional.empty(), Optional.empty(),
                List.of());
    }

    /**
     * A broken copy of a valid record and the field it names: a field's value swapped for one of the wrong type, the
     * record cut short, bytes that are not JSON, or a version this build does not read. Field-breaking is the only
     * kind whose reason must name a field; every kind must be refused. {@code derived} fields are written for
     * readers' convenience and not read back.
     */
    private record Broken(byte[] bytes, Optional<String> field) {
    }

    private static Broken breakRecord(byte[] valid, SplittableRandom random, String... derived) {
        JsonObject json = new JsonObject(new String(valid, StandardCharsets.UTF_8));
        return switch (random.nextInt(4)) {
            case 0, 1 -> {
                List<String> fields = new ArrayList<>(json.fieldNames());
                fields.removeIf(f -> json.getValue(f) == null || List.of(derived).contains(f));
                String field = fields.get(random.nextInt(fields.size()));
                Object value = json.getValue(field);
                json.put(field, value instanceof String || value instanceof Number || value instanceof Boolean
                        ? new JsonArray().add(1) : "not-" + field);
                yield new Broken(json.encode().getBytes(StandardCharsets.UTF_8), Optional.of(field));
            }
            case 2 -> new Broken(Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 2)), Optional.empty());
            default -> new Broken(random.nextBoolean() ? new byte[]{(byte) 0xff, 0x00, 0x7b}
                    : json.put("v", 99).encode().getBytes(StandardCharsets.UTF_8), Optional.empty());
        };
    }

    @Test
    void theEpisodeLogGivesBackTheOpenEpisodesOfTheJobsAskedForPastMalformedRecords() {
        try (KafkaFixture broker = new KafkaFixture(dir.resolve("kafka"))) {
            KafkaSettings kafka = broker.freshTopics(3);
            String topic = kafka.topics().detections();
            StragglerEpisode stillOpen = episode("job-a", "w1", 10);
            StragglerEpisode ended = episode("job-a", "w2", 12);
            StragglerEpisode otherJob = episode("job-b", "w1", 7);
            SplittableRandom random = new SplittableRandom(16);
            try (Producer<String, byte[]> producer = producer(kafka)) {
                send(producer, topic, "job-a", EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.START,
                        stillOpen)));
                send(producer, topic, "job-a", EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.START,
                        ended)));
                byte[] valid = EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.UPDATE, stillOpen));
                for (int i = 0; i < MALFORMED; i++) {
                    Broken b = breakRecord(valid, random, "episode");
                    assertThat(EpisodeCodec.decode(b.bytes())).as(new String(b.bytes(), StandardCharsets.UTF_8))
                            .isInstanceOfSatisfying(EpisodeCodec.Decoding.Rejected.class, r -> b.field()
                                    .ifPresent(f -> assertThat(r.detail()).contains(f)));
                    send(producer, topic, "job-a", b.bytes());
                }
                send(producer, topic, "job-a", EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.END,
                        ended.ended(new End(20, T.plusSeconds(2), EndReason.RECOVERED)))));
                send(producer, topic, "job-b", EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.START,
                        otherJob)));
            }

            EpisodeLogReader reader = new EpisodeLogReader(kafka);

            assertThat(reader.open(List.of("job-a"))).containsExactly(stillOpen);
            assertThat(reader.open(List.of("job-a", "job-b"))).containsExactlyInAnyOrder(stillOpen, otherJob);
            assertThat(reader.open(List.of("job-c"))).isEmpty();
        }
    }

    @Test
    void theAuditLogDescribesEachMalformedRecordWithWhereItIsAndReadsOn() {
        try (KafkaFixture broker = new KafkaFixture(dir.resolve("kafka"))) {
            KafkaSettings kafka = broker.freshTopics(3);
            String topic = kafka.topics().actions();
            Action first = action("a-1", "job-a");
            ActionOutcome outcome = ActionOutcome.of(first, ActionOutcome.Status.ADVISED, T, "dry run");
            SplittableRandom random = new SplittableRandom(16);
            try (Producer<String, byte[]> producer = producer(kafka)) {
                send(producer, topic, "job-a", ControlCodec.encode(first));
                for (int i = 0; i < MALFORMED; i++) {
                    Broken b = breakRecord(ControlCodec.encode(i % 2 == 0 ? first : outcome), random);
                    assertThat(ControlCodec.decode(b.bytes())).as(new String(b.bytes(), StandardCharsets.UTF_8))
                            .isInstanceOfSatisfying(ControlCodec.Decoding.Rejected.class, r -> b.field()
                                    .ifPresent(f -> assertThat(r.detail()).contains(f)));
                    send(producer, topic, "job-a", b.bytes());
                }
                send(producer, topic, "job-a", ControlCodec.encode(outcome));
            }

            ActionLogReader.Read read = new ActionLogReader(kafka).read(Optional.of("job-a"), Duration.ofSeconds(60));

            assertThat(read.records()).extracting(ControlRecord::getClass)
                    .containsExactly(Action.class, ActionOutcome.class);
            assertThat(read.rejected()).hasSize(MALFORMED)
                    .allSatisfy(r -> assertThat(r).matches(topic.replace(".", "\\.") + "/\\d+@\\d+: .+"));
        }
    }

    private static Producer<String, byte[]> producer(KafkaSettings kafka) {
        return new KafkaProducer<>(new ClientConfigs(kafka).producer("takeover-logs-it"));
    }

    /** Sends without waiting: one producer keeps a key's records in order, and closing it sends what is left. */
    private static void send(Producer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }
}
