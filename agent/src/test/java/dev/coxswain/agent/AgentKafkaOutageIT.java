package dev.coxswain.agent;

import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.TelemetryTopicReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent while Kafka is unreachable: training processes are still answered at once, records wait in the
 * bounded buffer (the oldest dropped and counted when it is full) and everything buffered arrives once a broker
 * listens on the configured address.
 */
class AgentKafkaOutageIT {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Agent agent(TelemetryPublisher publisher, int capacity, SimpleMeterRegistry registry) {
        AgentSettings s = AgentSettings.defaults("node-out").withIntakePort(0).withBufferCapacity(capacity)
                .withGpuSources("", Optional.empty()).withRoots(dir.resolve("no-proc"), dir.resolve("no-sys"));
        return new Agent(s, TelemetrySink.kafka(publisher), registry, Clock.systemUTC(), List.of());
    }

    @Test
    void buffersWhileKafkaIsDownAnswersAtOnceAndDeliversEverythingWhenItComes() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        String bootstrap = EmbeddedKafka.reserve(kafkaDir); // the broker starts later in the test
        KafkaSettings settings = KafkaSettings.of(bootstrap);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TelemetryPublisher publisher = new TelemetryPublisher(settings, "agent-outage");
             Agent agent = agent(publisher, 10_000, registry)) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            // That the answers do not wait for the producer's blocking is AgentIT's, with a sink that blocks.
            for (int batch = 0; batch < 50; batch++) {
                IntakeClient.Reply r = client.post("/v1/steps", IntakeClient.steps("job-out", batch * 20, 20));
                assertThat(r.status()).isEqualTo(202);
            }
            JsonObject down = client.get("/v1/health").json();
            assertThat(down.getString("kafka")).isEqualTo("down");
            assertThat(down.getInteger("buffered")).isBetween(999, 1000); // one may be out as a probe
            assertThat(down.getLong("dropped")).isZero();

            try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir)) {
                assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
                Topics.ensure(settings);
                try (TelemetryTopicReader reader = new TelemetryTopicReader(settings)) {
                    reader.readUntil(r -> r.stream().filter(t -> t instanceof StepReport).count() >= 1000,
                            Duration.ofSeconds(90));
                    assertThat(reader.read(StepReport.class).stream().map(StepReport::step).distinct().count())
                            .isEqualTo(1000);
                }
                Await.until("the agent to report Kafka up",
                        () -> client.get("/v1/health").json().getString("kafka").equals("up"));
                JsonObject up = client.get("/v1/health").json();
                assertThat(up.getString("kafka")).isEqualTo("up");
                assertThat(up.getInteger("buffered")).isZero();
                assertThat(up.getLong("dropped")).isZero();
                assertThat(registry.get("coxswain.agent.sent").functionCounter().count()).isEqualTo(1000);
            }
        }
    }

    @Test
    void whenTheBufferOverflowsTheOldestAreDroppedAndCounted() throws Exception {
        KafkaSettings settings = KafkaSettings.of("127.0.0.1:" + freePort()); // nothing listens there
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TelemetryPublisher publisher = new TelemetryPublisher(settings, "agent-overflow");
             Agent agent = agent(publisher, 100, registry)) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            for (int batch = 0; batch < 3; batch++) {
                assertThat(client.post("/v1/steps", IntakeClient.steps("job-full", batch * 100, 100)).status())
                        .isEqualTo(202);
            }
            JsonObject health = client.get("/v1/health").json();
            assertThat(health.getInteger("buffered")).isBetween(99, 100);
            long dropped = health.getLong("dropped");
            assertThat(dropped).isBetween(199L, 201L);
            assertThat(dropped + health.getInteger("buffered")).isGreaterThanOrEqualTo(299);
            assertThat(registry.get("coxswain.agent.dropped").functionCounter().count()).isEqualTo(dropped);
            assertThat(registry.get("coxswain.agent.buffered").gauge().value()).isBetween(99.0, 100.0);
        }
    }
}
