package dev.coxswain.agent;

import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.testkit.TelemetryTopicReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent against a real embedded Kafka broker: what training processes post arrives decodable in Kafka. */
class AgentKafkaIT {
    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static KafkaSettings settings;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        settings = KafkaSettings.of(kafka.bootstrapServers());
        Topics.ensure(settings);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Agent agent(TelemetryPublisher publisher, String node, Path proc) {
        AgentSettings s = AgentSettings.defaults(node).withIntakePort(0).withGpuSources("", Optional.empty())
                .withRoots(proc, Path.of("/sys"));
        return new Agent(s, TelemetrySink.kafka(publisher), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    @Test
    void intakeRecordsAndSamplesArriveInKafkaDecodable() throws Exception {
        try (TelemetryPublisher publisher = new TelemetryPublisher(settings, "agent-it");
             Agent agent = agent(publisher, "node-it", Path.of("/proc"))) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            assertThat(client.post("/v1/steps", IntakeClient.steps("job-it", 0, 100)).status()).isEqualTo(202);
            assertThat(client.post("/v1/jobs", "{\"job\": \"job-it\", \"pattern\": \"RING_ALLREDUCE\", \"members\":"
                    + " [{\"worker\": \"w0\", \"gpu\": 0}, {\"worker\": \"w1\", \"gpu\": 1}]}").status())
                    .isEqualTo(202);
            assertThat(client.post("/v1/events", "{\"events\": [{\"job\": \"job-it\", \"worker\": \"w0\","
                    + " \"kind\": \"injection.start\", \"attributes\": {\"fault\": \"slowdown\"}}]}").status())
                    .isEqualTo(202);
            try (TelemetryTopicReader reader = new TelemetryTopicReader(settings)) {
                reader.readUntil(r -> count(r, StepReport.class, "job-it") == 100
                        && r.stream().anyMatch(t -> t instanceof HostSample h && h.nodeId().equals("node-it"))
                        && r.stream().anyMatch(t -> t instanceof JobMembership)
                        && r.stream().anyMatch(t -> t instanceof JobEvent)
                        && r.stream().anyMatch(t -> t instanceof TopologyReport), Duration.ofSeconds(60));
                assertThat(reader.read(StepReport.class).stream().filter(s -> s.jobId().equals("job-it"))
                        .map(StepReport::step).sorted().toList()).hasSize(100).startsWith(0L, 1L).endsWith(99L);
                assertThat(reader.read(JobMembership.class).getFirst().members())
                        .allMatch(m -> m.nodeId().equals("node-it"));
                assertThat(reader.read(JobEvent.class).getFirst().attributes()).containsEntry("fault", "slowdown");
                assertThat(reader.read(TopologyReport.class).getFirst().nodeId()).isEqualTo("node-it");
                assertThat(reader.read(HostSample.class)).isNotEmpty();
                assertThat(reader.rejected()).isEmpty();
            }
            assertThat(client.get("/v1/health").json().getString("kafka")).isEqualTo("up");
            assertThat(agent.dropped()).isZero();
        }
    }

    @Test
    void malformedAndInvalidReportsAreRejectedWithFieldNamesAndNeverReachKafka() throws Exception {
        try (TelemetryPublisher publisher = new TelemetryPublisher(settings, "agent-it-2");
             Agent agent = agent(publisher, "node-bad", dir.resolve("no-proc"))) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            IntakeClient.Reply notJson = client.post("/v1/steps", "{\"reports\": [{\"job\": ");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.json().getString("error")).startsWith("body: not a JSON object");
            String body = IntakeClient.steps("job-bad", 0, 3).replaceFirst("\"step_time_ms\": 81.5",
                    "\"step_time_ms\": -3");
            IntakeClient.Reply reply = client.post("/v1/steps", body);
            assertThat(reply.json().getInteger("accepted")).isEqualTo(2);
            assertThat(reply.json().getJsonArray("rejected").getJsonObject(0).getString("error"))
                    .isEqualTo("StepReport.stepTimeMs: -3.0 is negative");
            try (TelemetryTopicReader reader = new TelemetryTopicReader(settings)) {
                reader.readUntil(r -> count(r, StepReport.class, "job-bad") >= 2, Duration.ofSeconds(60));
                reader.readUntil(r -> false, Duration.ofSeconds(1));
                assertThat(reader.read(StepReport.class).stream().filter(s -> s.jobId().equals("job-bad"))
                        .map(StepReport::step)).containsExactlyInAnyOrder(1L, 2L);
            }
            assertThat(agent.rejected()).isEqualTo(2);
        }
    }

    static long count(List<Telemetry> records, Class<StepReport> type, String job) {
        return records.stream().filter(type::isInstance).map(type::cast).filter(s -> s.jobId().equals(job)).count();
    }
}
