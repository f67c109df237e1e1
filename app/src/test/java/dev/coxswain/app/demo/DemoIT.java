package dev.coxswain.app.demo;

import dev.coxswain.app.config.Settings;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.testkit.DetectionTopicReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's whole path on a real embedded broker: job -> agent intake -> Kafka -> collector -> dashboard REST,
 * live within 30 s, the straggler visible in the GPU telemetry once injected, and found by the live detector
 * within 20 s of its injection: on the REST API and, as an episode, on the detections topic.
 */
class DemoIT {
    private static final Duration STRAGGLER_AFTER = Duration.ofSeconds(5);
    private static final Duration DETECTION_BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void showsTheJobsWorkersAndFlowsOnTheDashboardWithinThirtySeconds() throws Exception {
        Settings settings = Settings.load(null, Map.of("kafka.embedded.dir", dir.resolve("kafka").toString(),
                "dashboard.port", "0", "agent.intake.port", "0", "agent.node.id", "demo-host",
                "collector.snapshot.interval", "200ms", "detector.model", dir.resolve("no.model").toString()));
        long start = System.nanoTime();
        try (Demo demo = Demo.start(settings, STRAGGLER_AFTER, Clock.systemUTC())) {
            String jobs = "";
            while (System.nanoTime() - start < Duration.ofSeconds(30).toNanos()
                    && !(jobs.contains("\"demo-job\"") && jobs.contains("\"workerCount\":8")
                    && jobs.contains("\"flowCount\":8"))) {
                Thread.sleep(250);
                jobs = get(demo.dashboard().resolve("/api/jobs"));
            }
            assertThat(jobs).contains("\"demo-job\"", "\"workerCount\":8", "\"flowCount\":8");
            String graph = get(demo.dashboard().resolve("/api/graph"));
            assertThat(graph).contains("node-a", "node-b", "spine");
            // The injected straggler's GPU throttles: its thermal-slowdown reason shows in the graph's GPU data.
            while (System.nanoTime() - start < Duration.ofSeconds(45).toNanos()
                    && !graph.contains("HW_THERMAL_SLOWDOWN")) {
                Thread.sleep(250);
                graph = get(demo.dashboard().resolve("/api/graph"));
            }
            assertThat(graph).contains("HW_THERMAL_SLOWDOWN");
            assertThat(get(demo.dashboard().resolve("/metrics")))
                    .contains("coxswain_collector_records_applied_records_total");

            JsonObject w5 = awaitStraggler(demo, start + STRAGGLER_AFTER.plus(DETECTION_BOUND).toNanos());
            assertThat(w5.getString("cause")).isEqualTo("gpu_compute");
            assertThat(w5.getString("detail")).contains("HW_THERMAL_SLOWDOWN");
            assertThat(w5.getString("gpu")).isEqualTo("gpu:node-b/1");
            assertThat(w5.getDouble("slowdown")).isGreaterThan(1.3);
            assertThat(w5.getString("since")).isNotNull();
            assertThat(get(demo.dashboard().resolve("/metrics"))).contains("coxswain_detector_stragglers_workers 1.0");
            assertTheEpisodeIsOnTheDetectionsTopic(settings, demo);
        }
    }

    /** Waits for w5 of demo-job among the current stragglers, at most until {@code deadline} (System.nanoTime). */
    private static JsonObject awaitStraggler(Demo demo, long deadline) throws Exception {
        JsonObject answer = new JsonObject(get(demo.dashboard().resolve("/api/stragglers")));
        while (System.nanoTime() < deadline && current(answer).isEmpty()) {
            Thread.sleep(250);
            answer = new JsonObject(get(demo.dashboard().resolve("/api/stragglers")));
        }
        assertThat(answer.getString("detector")).isEqualTo("rules");
        JsonArray current = answer.getJsonArray("current");
        assertThat(current).as("current stragglers: %s", answer.encode()).hasSize(1);
        JsonObject w5 = current.getJsonObject(0);
        assertThat(w5.getString("job")).isEqualTo("demo-job");
        assertThat(w5.getString("worker")).isEqualTo("w5");
        return w5;
    }

    private static List<JsonObject> current(JsonObject answer) {
        return answer.getJsonArray("current").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("worker").equals("w5") && e.getString("cause").equals("gpu_compute"))
                .toList();
    }

    private static void assertTheEpisodeIsOnTheDetectionsTopic(Settings settings, Demo demo) {
        try (DetectionTopicReader reader = new DetectionTopicReader(
                settings.kafka().withBootstrap(demo.bootstrapServers()))) {
            List<EpisodeEvent> events = reader.readUntil(e -> e.stream().anyMatch(DemoIT::w5Start),
                    Duration.ofSeconds(10));
            assertThat(events).anyMatch(DemoIT::w5Start);
            assertThat(events).as("no other worker was ever reported")
                    .allMatch(e -> e.episode().workerId().equals("w5"));
            assertThat(reader.keys()).containsOnly("demo-job");
            assertThat(reader.rejected()).isEmpty();
        }
    }

    private static boolean w5Start(EpisodeEvent e) {
        StragglerEpisode x = e.episode();
        return e.kind() == EpisodeEvent.Kind.START && x.jobId().equals("demo-job") && x.workerId().equals("w5")
                && x.cause().equals("gpu_compute") && x.detail().contains("HW_THERMAL_SLOWDOWN");
    }
}
