package dev.coxswain.transport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends records that could not be used to the dead-letter topic, unchanged, with why in headers:
 * {@value #REASON_HEADER} (a short code), {@value #DETAIL_HEADER} (what was wrong and where) and
 * {@value #SOURCE_HEADER} ({@code topic/partition@offset}). Thread-safe.
 */
public final class DeadLetters implements AutoCloseable {
    public static final String REASON_HEADER = "coxswain.reason";
    public static final String DETAIL_HEADER = "coxswain.detail";
    public static final String SOURCE_HEADER = "coxswain.source";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public DeadLetters(KafkaSettings settings, String clientId) {
        this(new KafkaProducer<>(new ClientConfigs(settings).producer(clientId)), settings.topics().deadLetters());
    }

    DeadLetters(Producer<String, byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public void send(ConsumerRecord<String, byte[]> source, String reason, String detail) {
        List<Header> headers = List.of(
                header(REASON_HEADER, reason),
                header(DETAIL_HEADER, detail),
                header(SOURCE_HEADER, source.topic() + "/" + source.partition() + "@" + source.offset()));
        producer.send(new ProducerRecord<>(topic, null, source.key(), source.value(), headers), (md, e) -> {
            if (e == null) {
                sent.incrementAndGet();
            } else {
                failed.incrementAndGet();
                log.error("could not write dead letter from {}/{}@{} ({}: {}): {}", source.topic(),
                        source.partition(), source.offset(), reason, detail, e.toString());
            }
        });
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public void flush() {
        producer.flush();
    }

    /** Dead letters acknowledged by the broker. */
    public long sent() {
        return sent.get();
    }

    /** Dead letters the broker did not take (each also logged). */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
