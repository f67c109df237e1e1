package dev.coxswain.transport;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where Kafka is and how to reach it.
 *
 * @param bootstrapServers the cluster to connect to; empty means start the embedded broker
 * @param clientProperties passed as they are to every producer, consumer and admin client (TLS, SASL: e.g.
 *                         {@code security.protocol}, {@code ssl.truststore.location}, {@code sasl.jaas.config})
 * @param embeddedDir      the embedded broker's log directory, reused across starts
 * @param embeddedPort     the embedded broker's port; 0: the one it had last time when free, else any free one
 */
public record KafkaSettings(Optional<String> bootstrapServers, Map<String, String> clientProperties,
                            TopicLayout topics, Path embeddedDir, int embeddedPort) {

    public static final String BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String CLIENT_PREFIX = "kafka.client.";
    public static final String PARTITIONS = "kafka.topics.partitions";
    public static final String REPLICATION = "kafka.topics.replication.factor";
    public static final String TOPIC_PREFIX = "kafka.topics.prefix";
    public static final String EMBEDDED_DIR = "kafka.embedded.dir";
    public static final String EMBEDDED_PORT = "kafka.embedded.port";

    /** Settings of a running cluster at {@code servers}, with default topics. */
    public KafkaSettings(Optional<String> servers, Map<String, String> clientProperties, TopicLayout topics,
                         Path embeddedDir) {
        this(servers, clientProperties, topics, embeddedDir, 0);
    }

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** Declares this component's keys; {@code stateDir} is the user's Coxswain state directory. */
    public static ConfigDef define(ConfigDef def, Path stateDir) {
        return def
                .define(BOOTSTRAP, ConfigDef.Type.STRING, "",
                        "Kafka bootstrap servers (host:port,...). Empty: start an embedded single-node broker.")
                .define(PARTITIONS, ConfigDef.Type.INT, 4, (Integer n) -> n >= 1 && n <= 10_000, "1..10000",
                        "Partitions of the partitioned topics (telemetry, detections, knobs, actions) when Coxswain "
                                + "creates them.")
                .define(REPLICATION, ConfigDef.Type.INT, 1, (Integer n) -> n >= 1 && n <= 32, "1..32",
                        "Replication factor of the topics Coxswain creates (1 for the embedded broker).")
                .define(TOPIC_PREFIX, ConfigDef.Type.STRING, "coxswain",
                        (String s) -> s.matches("[A-Za-z0-9._-]+"), "letters, digits, . _ -",
                        "Prefix of topic names: " + String.join(", ", java.util.Arrays.stream(Topic.values())
                                .map(t -> "<prefix>." + t.suffix()).toList()) + ".")
                .define(EMBEDDED_DIR, ConfigDef.Type.PATH, stateDir.resolve("kafka"),
                        "Log directory of the embedded broker; reused by the next start.")
                .define(EMBEDDED_PORT, ConfigDef.Type.INT, 0, (Integer n) -> n >= 0 && n <= 65_535, "0..65535",
                        "Port of the embedded broker on 127.0.0.1. 0: the port it had last time when free, else "
                                + "any free one (printed at start).")
                .passThrough(CLIENT_PREFIX);
    }

    public static KafkaSettings from(Config config) {
        String prefix = config.getString(TOPIC_PREFIX);
        int replication = config.getInt(REPLICATION);
        Optional<String> bootstrap = config.getOptionalString(BOOTSTRAP);
        if (bootstrap.isEmpty() && replication != 1) {
            throw new ConfigException(REPLICATION + " = " + replication
                    + ": the embedded broker has one node; set " + BOOTSTRAP + " or use 1");
        }
        TopicLayout topics = TopicLayout.withPrefix(prefix, config.getInt(PARTITIONS), (short) replication);
        return new KafkaSettings(bootstrap, config.withPrefix(CLIENT_PREFIX), topics, config.getPath(EMBEDDED_DIR),
                config.getInt(EMBEDDED_PORT));
    }

    /** Settings for a known cluster, with default topics and no extra client properties. */
    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(Optional.of(bootstrapServers), Map.of(), TopicLayout.defaults(),
                Path.of("unused"));
    }

    public KafkaSettings withBootstrap(String servers) {
        return new KafkaSettings(Optional.of(servers), clientProperties, topics, embeddedDir, embeddedPort);
    }
}
