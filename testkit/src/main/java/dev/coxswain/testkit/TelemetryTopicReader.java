package dev.coxswain.testkit;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads Coxswain's telemetry and topology topics from the beginning in an integration test, decoding every record
 * with {@link TelemetryCodec}, until what it has read satisfies a condition or time runs out. Records that do not
 * decode are collected in {@link #rejected()}. Not thread-safe; close it when done.
 */
public final class TelemetryTopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Telemetry> records = new ArrayList<>();
    private final List<DecodeResult.Rejected> rejected = new ArrayList<>();

    public TelemetryTopicReader(KafkaSettings settings) {
        consumer = new KafkaConsumer<>(new ClientConfigs(settings).consumer(null, "testkit-reader"));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(settings.topics().telemetry(), settings.topics().topology())) {
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for everything read so far, or {@code timeout}; returns what was read. */
    public List<Telemetry> readUntil(Predicate<List<Telemetry>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                switch (TelemetryCodec.decode(r.value())) {
                    case DecodeResult.Decoded d -> records.add(d.record());
                    case DecodeResult.Rejected x -> rejected.add(x);
                }
            }
        }
        return List.copyOf(records);
    }

    /** Records of one type among those read so far. */
    public <T extends Telemetry> List<T> read(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public List<DecodeResult.Rejected> rejected() {
        return List.copyOf(rejected);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
