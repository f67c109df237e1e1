package dev.coxswain.app.demo;

import dev.coxswain.app.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's whole path on a real embedded broker: job -> agent intake -> Kafka -> collector -> dashboard REST,
 * live within 30 s, and the straggler visible in the GPU telemetry once injected.
 */
class DemoIT {
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
                "collector.snapshot.interval", "200ms"));
        long start = System.nanoTime();
        try (Demo demo = Demo.start(settings, Duration.ofSeconds(5), Clock.systemUTC())) {
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
        }
    }
}
