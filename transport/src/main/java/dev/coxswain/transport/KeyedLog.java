package dev.coxswain.transport;

import dev.coxswain.core.RetriableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A topic keyed by job read as a log, from its beginning to its end at the time of the read: the audit log (actions)
 * and the episode log (detections) that a collector taking jobs over reads back. A job's records all sit in the
 * partition its key hashes to, so reading some jobs reads only their partitions.
 */
public final class KeyedLog {
    private static final Duration POLL = Duration.ofMillis(200);

    private KeyedLog() {
    }

    /**
     * The partition Kafka's default partitioner gives a keyed record: murmur2 of the key's UTF-8 bytes, as its
     * built-in partitioner does.
     */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Hands every record of {@code topic} (or only those keyed by one of {@code keys}) to {@code each}, in order per
     * partition, up to the end offsets at the time of the call.
     *
     * @param timeout how long to keep reading before giving up with what was read
     */
    static void read(KafkaSettings settings, String topic, Optional<Set<String>> keys, Duration timeout,
                     Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                new ClientConfigs(settings).consumer(null, topic + "-log-reader"))) {
            int count = c.partitionsFor(topic, timeout).size();
            Collection<Integer> wanted = keys.<Collection<Integer>>map(ks -> ks.stream()
                            .map(k -> partitionOf(k, count)).collect(Collectors.toSet()))
                    .orElseGet(() -> IntStream.range(0, count).boxed().toList());
            List<TopicPartition> partitions = wanted.stream().map(p -> new TopicPartition(topic, p)).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                    if (keys.isEmpty() || keys.get().contains(r.key())) {
                        each.accept(r);
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new RetriableException("no answer from Kafka at " + settings.bootstrapServers().orElse("?")
                    + " within " + timeout.toSeconds() + " s, reading " + topic + " (" + e.getMessage() + ")", e);
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Where a record sits, for messages about it: {@code topic/partition@offset}. */
    static String where(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "@" + r.offset();
    }
}
