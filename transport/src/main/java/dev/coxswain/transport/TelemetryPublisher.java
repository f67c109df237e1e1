package dev.coxswain.transport;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.wire.TelemetryCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Encodes telemetry and sends it to the topic its type belongs on (see {@link TopicLayout}). Thread-safe, as the
 * Kafka producer is. {@link #send} may block for up to the producer's {@code max.block.ms} when the broker is
 * unreachable, so callers that must never block put a buffer in front (the agent does).
 */
public final class TelemetryPublisher implements AutoCloseable {
    /** Topology-topic keys carry a kind prefix: node and job ids share that one compacted key space. */
    public static final String NODE_KEY_PREFIX = "node/";
    public static final String JOB_KEY_PREFIX = "job/";

    private final Producer<String, byte[]> producer;
    private final TopicLayout topics;

    public TelemetryPublisher(KafkaSettings settings, String clientId) {
        this(new KafkaProducer<>(new ClientConfigs(settings).producer(clientId)), settings.topics());
    }

    TelemetryPublisher(Producer<String, byte[]> producer, TopicLayout topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** The Kafka record for a telemetry record: its topic, key and encoded value. */
    public static ProducerRecord<String, byte[]> toRecord(TopicLayout topics, Telemetry record) {
        byte[] value = TelemetryCodec.encode(record);
        return switch (record) {
            case TopologyReport t -> new ProducerRecord<>(topics.topology(), NODE_KEY_PREFIX + t.nodeId(), value);
            case JobMembership m -> new ProducerRecord<>(topics.topology(), JOB_KEY_PREFIX + m.jobId(), value);
            case StepReport s -> new ProducerRecord<>(topics.telemetry(), s.key(), value);
            case JobEvent e -> new ProducerRecord<>(topics.telemetry(), e.key(), value);
            case GpuSample g -> new ProducerRecord<>(topics.telemetry(), g.key(), value);
            case HostSample h -> new ProducerRecord<>(topics.telemetry(), h.key(), value);
        };
    }

    public Future<?> send(Telemetry record, Callback callback) {
        return producer.send(toRecord(topics, record), callback);
    }

    /** Sends an already-built record (a benchmark or a fuzz test sending raw bytes). */
    public Future<?> sendRaw(ProducerRecord<String, byte[]> record, Callback callback) {
        return producer.send(record, callback);
    }

    public void flush() {
        producer.flush();
    }

    public TopicLayout topics() {
        return topics;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
