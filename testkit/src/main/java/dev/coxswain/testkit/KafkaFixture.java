package dev.coxswain.testkit;

import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TopicLayout;
import dev.coxswain.transport.Topics;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real embedded broker for integration tests, with a fresh topic layout (unique prefix) per call of
 * {@link #freshTopics}, so tests that share one broker do not see each other's records.
 */
public final class KafkaFixture implements AutoCloseable {
    private final EmbeddedKafka broker;

    public KafkaFixture(Path dir) {
        this.broker = EmbeddedKafka.start(dir);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Settings for new, created topics with the given partitions of the telemetry topic. */
    public KafkaSettings freshTopics(int partitions) {
        String p = "t" + UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings settings = new KafkaSettings(Optional.of(broker.bootstrapServers()), Map.of(),
                TopicLayout.withPrefix(p, partitions, (short) 1),
                broker.dir());
        Topics.ensure(settings);
        return settings;
    }

    @Override
    public void close() {
        broker.close();
    }
}
