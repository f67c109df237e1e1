package dev.coxswain.transport;

import dev.coxswain.core.detection.EpisodeCodec;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.EpisodeSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends straggler episode events to the detections topic, keyed by job and encoded by {@link EpisodeCodec}.
 * {@link #publish} hands the record to the producer and returns; a failed delivery is logged and counted, never
 * thrown at the detector. Thread-safe, as the Kafka producer is.
 */
public final class DetectionPublisher implements EpisodeSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DetectionPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public DetectionPublisher(KafkaSettings settings, String clientId) {
        this(new KafkaProducer<>(new ClientConfigs(settings).producer(clientId)), settings.topics().detections());
    }

    DetectionPublisher(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void publish(EpisodeEvent event) {
        producer.send(new ProducerRecord<>(topic, event.key(), EpisodeCodec.encode(event)), (md, e) -> {
            if (e == null) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
                log.error("could not send {} of straggler episode {} to {}: {}", event.kind().label(),
                        event.episode().id(), topic, e.toString());
            }
        });
    }

    /** Events acknowledged by the broker. */
    public long sent() {
        return sent.get();
    }

    /** Events the broker did not take (each also logged). */
    public long failed() {
        return failed.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
