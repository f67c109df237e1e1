package dev.coxswain.collector.ingest;

import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.KafkaFixture;
import dev.coxswain.testkit.Samples;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The collector against a real embedded Kafka broker; nothing here mocks Kafka. */
class CollectorIT {
    @TempDir
    static Path dir;
    static KafkaFixture kafka;

    @BeforeAll
    static void startBroker() {
        kafka = new KafkaFixture(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** @param applied each applied record as its key and time ({@link #applied}) */
    private record Running(Collector collector, SnapshotHub hub, Set<String> applied) implements AutoCloseable {
        @Override
        public void close() {
            collector.close();
        }
    }

    private static Running collector(KafkaSettings settings, CollectorSettings cs) {
        SnapshotHub hub = new SnapshotHub();
        Set<String> applied = ConcurrentHashMap.newKeySet();
        ClusterState state = new ClusterState(new ClusterGraph(cs.capacities()), cs.windowSteps(), Clock.systemUTC(),
                cs.jobRetention());
        Collector c = new Collector(cs, settings, state, hub, new DeadLetters(settings, "dlq"),
                new SimpleMeterRegistry(), (key, micros) -> applied.add(key + "@" + micros), Clock.systemUTC());
        c.start();
        return new Running(c, hub, applied);
    }

    private static String applied(Telemetry r) {
        return r.key() + "@" + (r.timestamp().getEpochSecond() * 1_000_000 + r.timestamp().getNano() / 1000);
    }

    private static ClusterSnapshot await(SnapshotHub hub, Predicate<ClusterSnapshot> condition) {
        return Await.value("a snapshot that meets the condition", Duration.ofSeconds(60),
                () -> Optional.of(hub.latest()).filter(condition));
    }

    private static StepReport stepNow(String job, String worker, long step) {
        return new StepReport(job, worker, step, Instant.now(), 100, 50, 40, 5, 32, 32,
                java.util.OptionalDouble.empty(), java.util.Optional.empty());
    }

    @Test
    void buildsTheGraphAndJobOverlayFromTelemetryThroughTheBroker() throws Exception {
        KafkaSettings settings = kafka.freshTopics(4);
        try (TelemetryPublisher pub = new TelemetryPublisher(settings, "test");
             Running c = collector(settings, CollectorSettings.defaults().withGroupId("g-overlay"))) {
            pub.send(Samples.node("n1", 2, 0, "tor-1", 100e9), null);
            pub.send(Samples.node("n2", 2, 0, "tor-2", 100e9), null);
            pub.send(Samples.ringJob("job-a", 50_000_000, List.of("n1", "n2"), 2), null);
            Samples samples = new Samples(3);
            pub.send(samples.gpu("n1", 0), null);
            for (int s = 0; s < 10; s++) {
                for (int w = 0; w < 4; w++) {
                    pub.send(stepNow("job-a", "w" + w, s), null);
                }
            }
            pub.flush();
            ClusterSnapshot snap = await(c.hub(), s -> s.jobs().containsKey("job-a")
                    && s.jobs().get("job-a").workers().values().stream().allMatch(p -> p.size() == 10)
                    && !s.jobs().get("job-a").flows().isEmpty() && !s.gpus().isEmpty());
            assertThat(snap.graph().vertexSet()).hasSize(2 * (1 + 2 + 1) + 3);
            assertThat(snap.linkLoad().values()).anySatisfy(load -> assertThat(load).isGreaterThan(0));
            assertThat(snap.jobs().get("job-a").meanStepMs()).isEqualTo(100);
        }
    }

    @Test
    void fuzzedMalformedRecordsAllLandInDeadLettersWhileEveryValidRecordIsApplied() throws Exception {
        KafkaSettings settings = kafka.freshTopics(4);
        Random random = new Random(42);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<StepReport> valid = new ArrayList<>();
        Map<String, Integer> badByKind = new HashMap<>();
        String telemetry = settings.topics().telemetry();
        for (int i = 0; i < 12_000; i++) {
            if (i % 6 == 0) {
                StepReport r = stepNow("job-" + (i % 7), "w" + (i % 5), i);
                valid.add(r);
                records.add(TelemetryPublisher.toRecord(settings.topics(), r));
            } else {
                Malformed m = malformed(random, i);
                badByKind.merge(m.kind, 1, Integer::sum);
                records.add(new ProducerRecord<>(telemetry, m.key, m.value));
            }
        }
        int bad = records.size() - valid.size();
        assertThat(bad).isGreaterThanOrEqualTo(10_000);
        try (TelemetryPublisher pub = new TelemetryPublisher(settings, "fuzz");
             Running c = collector(settings, CollectorSettings.defaults().withGroupId("g-fuzz"))) {
            records.forEach(r -> pub.sendRaw(r, null));
            pub.flush();
            List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(settings, bad);
            assertThat(dead).hasSize(bad);
            assertThat(dead).allSatisfy(d -> {
                assertThat(d.headers().lastHeader("coxswain.reason")).isNotNull();
                assertThat(new String(d.headers().lastHeader("coxswain.detail").value(), StandardCharsets.UTF_8))
                        .isNotBlank();
            });
            Set<String> reasons = new HashSet<>();
            dead.forEach(d -> reasons.add(new String(d.headers().lastHeader("coxswain.reason").value())));
            assertThat(reasons).containsExactlyInAnyOrder("MALFORMED", "INVALID", "UNKNOWN_VERSION", "UNKNOWN_TYPE",
                    "KEY_MISMATCH");
            List<String> expected = valid.stream().map(CollectorIT::applied).toList();
            Await.until("every valid record applied", () -> c.applied().containsAll(expected));
            assertThat(c.applied()).hasSize(valid.size());
            assertThat(c.collector()).isNotNull();
        }
        assertThat(badByKind).containsKeys("truncated", "nan", "negative", "huge", "version", "type", "garbage",
                "key");
    }

    private record Malformed(String kind, String key, byte[] value) {
    }

    private static Malformed malformed(Random random, int i) {
        byte[] good = TelemetryCodec.encode(stepNow("job-" + (i % 7), "w1", i));
        int stepTimeAt = 3 + 2 + ("job-" + (i % 7)).length() + 2 + 2 + 8 + 8;
        String key = "job-" + (i % 7);
        return switch (i % 8) {
            case 0 -> new Malformed("truncated", key, java.util.Arrays.copyOf(good, random.nextInt(good.length)));
            case 1 -> new Malformed("nan", key, patchDouble(good, stepTimeAt, Double.NaN));
            case 2 -> new Malformed("negative", key, patchDouble(good, stepTimeAt, -5));
            case 3 -> new Malformed("huge", key, patchDouble(good, stepTimeAt, 1e300));
            case 4 -> new Malformed("version", key,
                    patchByte(good, 1, TelemetryCodec.VERSION + 1 + random.nextInt(200)));
            case 5 -> new Malformed("type", key, patchByte(good, 2, 7 + random.nextInt(200)));
            case 6 -> {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                yield new Malformed("garbage", key, garbage);
            }
            default -> new Malformed("key", "not-" + key, good);
        };
    }

    private static byte[] patchDouble(byte[] bytes, int at, double v) {
        byte[] out = bytes.clone();
        long bits = Double.doubleToRawLongBits(v);
        for (int k = 0; k < 8; k++) {
            out[at + k] = (byte) (bits >>> (56 - 8 * k));
        }
        return out;
    }

    private static byte[] patchByte(byte[] bytes, int at, int v) {
        byte[] out = bytes.clone();
        out[at] = (byte) v;
        return out;
    }

    private static List<ConsumerRecord<String, byte[]>> readDeadLetters(KafkaSettings settings, int expected) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                new ClientConfigs(settings).consumer("dlq-reader-" + System.nanoTime(), "dlq-reader"))) {
            c.subscribe(List.of(settings.topics().deadLetters()));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // Anything beyond the expected count would be a record dead-lettered twice or wrongly.
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    @Test
    void collectorsInOneGroupShareJobsAndRebuildWindowsAfterARebalance() throws Exception {
        KafkaSettings settings = kafka.freshTopics(4);
        CollectorSettings cs = CollectorSettings.defaults().withGroupId("g-share");
        try (TelemetryPublisher pub = new TelemetryPublisher(settings, "share")) {
            for (int j = 0; j < 12; j++) {
                for (int s = 0; s < 5; s++) {
                    pub.send(stepNow("job-" + j, "w0", s), null);
                }
            }
            pub.flush();
            Running a = collector(settings, cs);
            try (Running b = collector(settings, cs)) {
                Await.until("the 12 jobs split between the two collectors", Duration.ofSeconds(60),
                        () -> a.hub().latest().jobs().size() + b.hub().latest().jobs().size() == 12
                                && !a.hub().latest().jobs().isEmpty() && !b.hub().latest().jobs().isEmpty());
                Set<String> union = new HashSet<>(a.hub().latest().jobs().keySet());
                assertThat(union).doesNotContainAnyElementsOf(b.hub().latest().jobs().keySet());
                union.addAll(b.hub().latest().jobs().keySet());
                assertThat(union).hasSize(12);
            }
            // b left the group: a takes over b's partitions and re-reads their recent history.
            ClusterSnapshot all = await(a.hub(), s -> s.jobs().size() == 12
                    && s.jobs().values().stream().allMatch(j -> j.workers().get("w0").size() == 5));
            assertThat(all.jobs()).hasSize(12);
            a.close();
        }
    }
}
