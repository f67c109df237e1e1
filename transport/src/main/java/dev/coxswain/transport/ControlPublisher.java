package dev.coxswain.transport;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.ControlSink;
import dev.coxswain.core.control.KnobSignature;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The controller's way out: actions to be applied go to the knobs topic, signed ({@link KnobSignature} in header
 * {@value KnobSignature#HEADER}); every action and outcome goes to the actions topic, the audit log. Both keyed by
 * job, encoded by {@link ControlCodec}. Returns at once; a failed delivery is logged and counted, never thrown.
 * Thread-safe, as the Kafka producer is.
 */
public final class ControlPublisher implements ControlSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPublisher.class);

    private final Producer<String, byte[]> producer;
    private final KnobSignature signature;
    private final String knobsTopic;
    private final String actionsTopic;
    private final AtomicLong failed = new AtomicLong();

    public ControlPublisher(KafkaSettings settings, KnobSignature signature, String clientId) {
        this.producer = new KafkaProducer<>(new ClientConfigs(settings).producer(clientId));
        this.signature = signature;
        this.knobsTopic = settings.topics().knobs();
        this.actionsTopic = settings.topics().actions();
    }

    @Override
    public void send(Action action) {
        byte[] value = ControlCodec.encode(action);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(knobsTopic, action.job(), value);
        record.headers().add(KnobSignature.HEADER, signature.sign(value).getBytes(StandardCharsets.US_ASCII));
        producer.send(record, (md, e) -> failed(e, "action " + action.id(), knobsTopic));
    }

    @Override
    public void record(ControlRecord r) {
        producer.send(new ProducerRecord<>(actionsTopic, r.job(), ControlCodec.encode(r)),
                (md, e) -> failed(e, "audit record of " + r.actionId(), actionsTopic));
    }

    private void failed(Exception e, String what, String topic) {
        if (e != null) {
            failed.incrementAndGet();
            log.error("could not send {} to {}: {}", what, topic, e.toString());
        }
    }

    /** Records the broker did not take (each also logged). */
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
