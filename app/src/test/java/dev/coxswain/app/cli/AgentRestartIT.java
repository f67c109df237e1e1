package dev.coxswain.app.cli;

import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.TelemetryTopicReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent-restart drill, with real processes: {@code coxswain agent} runs as a child JVM while Kafka is down, takes
 * step reports from a training process (every one answered 202), and is killed with SIGKILL. A second agent on the
 * same spool directory, started once the broker is up, delivers every acknowledged report: none lost.
 */
class AgentRestartIT {
    private static final String JOB = "drill-job";
    private static final int BATCHES = 50;
    private static final int PER_BATCH = 20;

    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process agent(String bootstrap, int intakePort, Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.coxswain.app.Main", "agent",
                "--set", "kafka.bootstrap.servers=" + bootstrap,
                "--set", "agent.node.id=drill-node",
                "--set", "agent.intake.port=" + intakePort,
                "--set", "agent.spool.dir=" + dir.resolve("spool"),
                "--set", "agent.nvidia-smi.path=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String steps(int from, int n) {
        StringBuilder b = new StringBuilder("{\"reports\": [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"job\": \"" + JOB + "\", \"worker\": \"w0\", \"step\": ")
                    .append(from + i).append(", \"step_time_ms\": 81.5, \"compute_ms\": 60.1, \"comm_ms\": 15.2,"
                            + " \"wait_ms\": 4.0, \"samples\": 64, \"batch_size\": 64}");
        }
        return b.append("]}").toString();
    }

    private static void awaitIntake(int port, Process agent, Path log) {
        URI health = URI.create("http://127.0.0.1:" + port + "/v1/health");
        Await.until("the agent's intake", Duration.ofSeconds(90), () -> {
            assertThat(agent.isAlive()).as("the agent runs; its log: %s", Files.readString(log)).isTrue();
            try {
                return send(HttpRequest.newBuilder(health).build()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @Test
    void everyReportAnAgentAcknowledgedReachesKafkaAfterItIsKilled() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        String bootstrap = EmbeddedKafka.reserve(kafkaDir); // the broker starts once the first agent is killed
        int intakePort = freePort();

        Process first = agent(bootstrap, intakePort, dir.resolve("agent-1.log"));
        try {
            awaitIntake(intakePort, first, dir.resolve("agent-1.log"));
            URI stepsUri = URI.create("http://127.0.0.1:" + intakePort + "/v1/steps");
            for (int b = 0; b < BATCHES; b++) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(stepsUri)
                        .POST(HttpRequest.BodyPublishers.ofString(steps(b * PER_BATCH, PER_BATCH))).build());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        try (EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            Topics.ensure(kafka);
            Path secondLog = dir.resolve("agent-2.log");
            Process second = agent(bootstrap, intakePort, secondLog);
            try (TelemetryTopicReader reader = new TelemetryTopicReader(kafka)) {
                awaitIntake(intakePort, second, secondLog);
                reader.readUntil(all -> distinctSteps(all.stream()).size() >= BATCHES * PER_BATCH,
                        Duration.ofSeconds(120));
                List<StepReport> delivered = reader.read(StepReport.class).stream()
                        .filter(s -> s.jobId().equals(JOB)).toList();
                Map<Long, Long> copies = delivered.stream()
                        .collect(Collectors.groupingBy(StepReport::step, Collectors.counting()));
                assertThat(copies).as("every acknowledged step, none lost").hasSize(BATCHES * PER_BATCH);
                assertThat(copies.values()).as("none delivered before the kill, so none twice").containsOnly(1L);
                assertThat(delivered).extracting(StepReport::step).as("in the order accepted").isSorted();
            } finally {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<Long, StepReport> distinctSteps(java.util.stream.Stream<?> records) {
        return records.filter(r -> r instanceof StepReport s && s.jobId().equals(JOB)).map(StepReport.class::cast)
                .collect(Collectors.toMap(StepReport::step, Function.identity(), (a, b) -> a));
    }
}
