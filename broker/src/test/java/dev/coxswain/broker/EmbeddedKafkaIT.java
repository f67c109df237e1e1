package dev.coxswain.broker;

import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.TopicLayout;
import dev.coxswain.transport.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real embedded broker: start, topics, a clean stop, and a second start that keeps the data. */
class EmbeddedKafkaIT {
    @TempDir
    Path dir;

    private static KafkaSettings settings(EmbeddedKafka broker) {
        return new KafkaSettings(Optional.of(broker.bootstrapServers()), Map.of(), TopicLayout.defaults(),
                broker.dir());
    }

    @Test
    void aSecondStartOnTheSameDirectoryKeepsTopicsAndRecords() {
        StepReport report = new StepReport("job-1", "w0", 1, Instant.now(), 10, 5, 3, 1, 8, 8,
                OptionalDouble.of(0.5), Optional.empty());
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir)) {
            Topics.ensure(settings(broker));
            try (TelemetryPublisher pub = new TelemetryPublisher(settings(broker), "test")) {
                pub.send(report, null);
                pub.flush();
            }
        }
        assertThat(dir.resolve("data").resolve("meta.properties")).exists();
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir)) {
            Topics.ensure(settings(broker));
            assertThat(readAll(settings(broker))).containsExactly(report);
        }
    }

    @Test
    void aDirectoryInUseByARunningBrokerIsRefusedWithAClearMessage() {
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir)) {
            assertThat(Files.exists(dir.resolve("server.properties"))).isTrue();
            assertThatThrownBy(() -> EmbeddedKafka.start(dir)).isInstanceOf(dev.coxswain.core.CoxswainException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("in use");
        }
    }

    @Test
    void aFixedPortIsUsedAndATakenOneRefusedNamingTheSetting() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, port)) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            Topics.ensure(settings(broker));
        }
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dir.resolve("other"), taken.getLocalPort()))
                    .isInstanceOf(dev.coxswain.core.CoxswainException.class)
                    .hasMessage("port " + taken.getLocalPort() + " (kafka.embedded.port) is in use on 127.0.0.1; "
                            + "free it or set another");
        }
    }

    private static List<StepReport> readAll(KafkaSettings settings) {
        List<StepReport> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                new ClientConfigs(settings).consumer("reader", "reader"))) {
            c.subscribe(List.of(settings.topics().telemetry()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (TelemetryCodec.decode(r.value()) instanceof DecodeResult.Decoded d) {
                        out.add((StepReport) d.record());
                    }
                }
            }
        }
        return out;
    }
}
