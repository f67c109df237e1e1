package dev.coxswain.transport;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Client configurations built from {@link KafkaSettings}: Coxswain's defaults first, then the user's pass-through
 * properties, which win (so a user can tune {@code linger.ms} or add TLS without code changes).
 */
public final class ClientConfigs {
    /** How long a producer's send may block waiting for the broker's metadata. */
    /**
     * How long a group member (a collector, an agent's knob intake) may go silent before the group hands its
     * partitions to the others: the takeover time after a member dies without leaving ({@code kill -9}, a lost
     * node). Kafka's default is 45 s; 10 s, its default before 3.0, still rides out any pause of a healthy member,
     * whose heartbeats come from their own thread. Override with {@code kafka.client.session.timeout.ms}.
     */
    public static final int GROUP_SESSION_TIMEOUT_MS = 10_000;
    public static final int PRODUCER_MAX_BLOCK_MS = 2_000;

    private final KafkaSettings settings;

    public ClientConfigs(KafkaSettings settings) {
        this.settings = settings;
    }

    private String bootstrap() {
        return settings.bootstrapServers().orElseThrow(
                () -> new IllegalStateException("no bootstrap servers: start the embedded broker first"));
    }

    public Map<String, Object> admin() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.putAll(settings.clientProperties());
        return props;
    }

    /**
     * A producer that batches and compresses. {@code max.block.ms} is short: callers that must never block
     * (the agent) keep their own bounded buffer and retry. Request and delivery timeouts stay at Kafka's defaults:
     * shorter ones make a producer on a loaded machine give up on batches the broker did write.
     */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent: on a loaded machine the idempotent producer's retries wedged on OutOfOrderSequence
        // errors (seen against the embedded broker). One request in flight keeps per-partition order; a duplicate
        // after a lost acknowledgement is absorbed by the collector, which ignores a worker's replayed step.
        // kafka.client.enable.idempotence=true turns it back on.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, PRODUCER_MAX_BLOCK_MS);
        props.putAll(settings.clientProperties());
        return props;
    }

    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, GROUP_SESSION_TIMEOUT_MS);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, GROUP_SESSION_TIMEOUT_MS / 3);
        }
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.putAll(settings.clientProperties());
        return props;
    }
}
