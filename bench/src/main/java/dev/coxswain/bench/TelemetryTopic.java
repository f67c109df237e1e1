package dev.coxswain.bench;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The benchmarks' read of the telemetry topic as it stands: what reached Kafka, the ground truth of a run. */
final class TelemetryTopic {
    private TelemetryTopic() {
    }

    /**
     * Reads every partition from its start, outside any consumer group, and hands each record that decodes to
     * {@code each}, until {@code done} holds or {@code timeout} passes; then one more poll of {@code settle}, for
     * records that arrive just after (copies, say).
     */
    static void read(KafkaSettings kafka, String clientId, Duration timeout, Duration settle, BooleanSupplier done,
                     Consumer<Telemetry> each) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(new ClientConfigs(kafka).consumer(null, clientId))) {
            List<TopicPartition> parts = c.partitionsFor(kafka.topics().telemetry()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(r -> decode(r, each));
            }
            if (!settle.isZero()) {
                c.poll(settle).forEach(r -> decode(r, each));
            }
        }
    }

    private static void decode(ConsumerRecord<String, byte[]> r, Consumer<Telemetry> each) {
        if (TelemetryCodec.decode(r.value()) instanceof DecodeResult.Decoded d) {
            each.accept(d.record());
        }
    }
}
