package dev.coxswain.dashboards;

import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/whatif} on a real server over the fixture's live cluster: questions about the four-worker
 * resnet-ddp job are simulated on the cluster built from the snapshot; bad bodies, bad questions and jobs that
 * cannot be simulated are 400 with a message that says what and where.
 */
class WhatIfRoutesIT {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final ClusterFixture fixture = new ClusterFixture(T0, 3);
    private final SnapshotHub hub = new SnapshotHub();
    private final HttpClient http = HttpClient.newHttpClient();
    private DashboardServer server;

    @BeforeEach
    void setUp() {
        server = new DashboardServer(DashboardSettings.defaults().withPort(0).withPushInterval(Duration.ofSeconds(1)),
                hub, DashboardServer.Boards.none().withDetections(
                        new DetectionHub(new StragglerBoard(0, Instant.EPOCH, "rules", List.of(), List.of()))),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new MutableClock(T0.plusSeconds(61))).start();
        hub.publish(fixture.snapshot(5, T0.plusSeconds(60)));
    }

    @AfterEach
    void tearDown() {
        server.close();
        http.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve("/api/whatif"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject ask(String job, String questions, int status) throws Exception {
        HttpResponse<String> r = post(new JsonObject().put("job", job).put("questions", questions).encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    @Test
    void answersQuestionsAboutALiveJobOnTheClusterAsItIs() throws Exception {
        JsonObject r = ask(ClusterFixture.BIG_JOB, """
                - {name: "batch 256", localBatch: 256}
                - name: "NIC at a tenth"
                  linkSpeed: {kind: nic, factor: 0.1}
                - name: "w3 at full speed on n1"
                  moveWorker: {worker: 3, to: "0:2"}
                """, 200);
        assertThat(r.getLong("generation")).isEqualTo(5);
        assertThat(r.getJsonArray("workers")).isEqualTo(new JsonArray().add("w0").add("w1").add("w2").add("w3"));
        assertThat(r.getJsonArray("nodes")).isEqualTo(new JsonArray().add("n1").add("n2"));
        JsonArray answers = r.getJsonArray("answers");
        assertThat(answers.stream().map(a -> ((JsonObject) a).getString("question")))
                .containsExactly("baseline", "batch 256", "NIC at a tenth", "w3 at full speed on n1");
        double baseline = answers.getJsonObject(0).getDouble("simStepSec");
        // The baseline carries w3's measured slowness (420 ms steps against 300 ms): it is the slowest worker, so
        // the simulated step is its compute, about 0.7 of its 420 ms, plus what does not overlap.
        assertThat(baseline).isBetween(0.25, 0.6);
        assertThat(r.getDouble("measuredStepMs")).isPositive();
        assertThat(answers.getJsonObject(1).getDouble("simStepSec")).isGreaterThan(baseline);
        assertThat(answers.getJsonObject(2).getDouble("simStepSec")).isGreaterThan(baseline);
        assertThat(answers.getJsonObject(1).getValue("calibratedStepSec")).isNull();
    }

    @Test
    void refusesWhatItCannotAnswerSayingWhy() throws Exception {
        assertThat(ask("no-such-job", "- {name: a, localBatch: 8}", 400).getString("message"))
                .contains("no-such-job", "is not a live job", ClusterFixture.BIG_JOB);
        assertThat(ask(ClusterFixture.SMALL_JOB, "- {name: a, localBatch: 8}", 400).getString("message"))
                .contains(ClusterFixture.SMALL_JOB, "has not announced its members");
        assertThat(ask(ClusterFixture.BIG_JOB, "- {name: a, batch: 8}", 400).getString("message"))
                .contains("questions", "batch", "unknown key");
        assertThat(ask(ClusterFixture.BIG_JOB, "- {name: a, localBatch: [", 400).getString("message"))
                .contains("questions", "not valid YAML");
        assertThat(ask(ClusterFixture.BIG_JOB, "- {name: a, moveWorker: {worker: 9, to: \"0:2\"}}", 400)
                .getString("message")).contains("no worker 9");
        assertThat(ask(ClusterFixture.BIG_JOB, "", 400).getString("message")).contains("questions");
        HttpResponse<String> notJson = post("job=resnet-ddp");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(notJson.body()).getString("message")).contains("JSON object");
        HttpResponse<String> noJob = post("{\"questions\": \"- {name: a}\"}");
        assertThat(new JsonObject(noJob.body()).getString("message")).contains("job");
    }
}
