package dev.coxswain.testkit;

import dev.coxswain.core.detection.EpisodeCodec;
import dev.coxswain.core.detection.EpisodeEvent;
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
 * Reads the detections topic from the beginning in an integration test, decoding every record with
 * {@link EpisodeCodec}, until what it has read satisfies a condition or time runs out. Records that do not decode
 * are collected in {@link #rejected()}, with their key. Not thread-safe; close it when done.
 */
public final class DetectionTopicReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<EpisodeEvent> events = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();

    public DetectionTopicReader(KafkaSettings settings) {
        consumer = new KafkaConsumer<>(new ClientConfigs(settings).consumer(null, "testkit-detections"));
        List<TopicPartition> partitions = new ArrayList<>();
        String topic = settings.topics().detections();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for every event read so far, or {@code timeout}; returns what was read. */
    public List<EpisodeEvent> readUntil(Predicate<List<EpisodeEvent>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(events) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                switch (EpisodeCodec.decode(r.value())) {
                    case EpisodeCodec.Decoding.Decoded d -> {
                        events.add(d.event());
                        keys.add(r.key());
                    }
                    case EpisodeCodec.Decoding.Rejected x -> rejected.add(r.key() + ": " + x.detail());
                }
            }
        }
        return List.copyOf(events);
    }

    /** The Kafka keys of the events read, in the same order. */
    public List<String> keys() {
        return List.copyOf(keys);
    }

    public List<String> rejected() {
        return List.copyOf(rejected);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
