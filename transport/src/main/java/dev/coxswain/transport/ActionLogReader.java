package dev.coxswain.transport;

import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ControlHistory;
import dev.coxswain.core.control.ControlRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the controller's audit log (the actions topic) from the beginning to its current end: for {@code coxswain
 * actions}, and for a controller that takes over a job and must know what was done to it ({@link ControlHistory}). Records that do not
 * decode are counted and described, never thrown. One read per instance; not thread-safe.
 */
public final class ActionLogReader implements ControlHistory {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int TAKEOVER_READ_S = 10;

    /** What was read: the records in topic order per partition, and what could not be decoded. */
    public record Read(List<ControlRecord> records, List<String> rejected) {
        public Read {
            records = List.copyOf(records);
            rejected = List.copyOf(rejected);
        }
    }

    private final KafkaSettings settings;

    public ActionLogReader(KafkaSettings settings) {
        this.settings = settings;
    }

    /**
     * Every record of the log, or only those keyed by {@code job}, up to the end offsets at the time of the call.
     *
     * @param timeout how long to keep reading before giving up with what was read
     */
    public Read read(Optional<String> job, Duration timeout) {
        String topic = settings.topics().actions();
        List<ControlRecord> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(new ClientConfigs(settings)
                .consumer(null, "action-log-reader"))) {
            List<TopicPartition> all = c.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            List<TopicPartition> partitions = job.map(j -> List.of(new TopicPartition(topic,
                    partitionOf(j, all.size())))).orElse(all);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(c, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                    if (job.isPresent() && !job.get().equals(r.key())) {
                        continue;
                    }
                    switch (ControlCodec.decode(r.value())) {
                        case ControlCodec.Decoding.Decoded d -> records.add(d.record());
                        case ControlCodec.Decoding.Rejected x -> rejected.add(r.topic() + "/" + r.partition() + "@"
                                + r.offset() + ": " + x.detail());
                    }
                }
            }
        }
        return new Read(records, rejected);
    }

    /** The job's records, read for at most {@value #TAKEOVER_READ_S} s. */
    @Override
    public List<ControlRecord> recent(String job) {
        return read(Optional.of(job), Duration.ofSeconds(TAKEOVER_READ_S)).records();
    }

    /**
     * The partition the producers' default partitioner puts a key in (murmur2 of its UTF-8 bytes, as Kafka's
     * built-in partitioner does for a keyed record): a job's records are all there, so a takeover reads one
     * partition, not the whole log.
     */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static boolean reached(Consumer<String, byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
