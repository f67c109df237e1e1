package dev.coxswain.app.cli;

import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.transport.TopicLayout;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code coxswain sim --to-kafka} against a real embedded broker: the step reports arrive decodable, keyed by job. */
class SimKafkaIT {
    @TempDir
    Path dir;

    @Test
    void simulatedStepReportsReachTheTelemetryTopic() throws Exception {
        Path jobs = dir.resolve("jobs.yaml");
        Files.writeString(jobs, """
                jobs:
                  - name: j1
                    steps: 5
                    model:
                      gradientBytes: 1000000
                      compute: [{gpu: T4, tflops: 65, alphaMs: 10, betaMsPerSample: 1}]
                    sync: {kind: allreduce}
                    placement: "22"
                    localBatch: 8
                """);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"))) {
            int rc = new SimCommand().run(List.of("--cluster", "g4dn-12xlarge", "--jobs", jobs.toString(),
                    "--to-kafka", broker.bootstrapServers(), "--sample-interval", "0"));
            assertThat(rc).isZero();
            int steps = 0;
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers(), "group.id", "sim-it", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(TopicLayout.defaults().telemetry()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (steps < 20 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (TelemetryCodec.decode(r.value()) instanceof DecodeResult.Decoded d
                                && d.record() instanceof StepReport s) {
                            assertThat(r.key()).isEqualTo("j1");
                            assertThat(s.jobId()).isEqualTo("j1");
                            steps++;
                        }
                    }
                }
            }
            assertThat(steps).isEqualTo(4 * 5);
        }
    }
}
