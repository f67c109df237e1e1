package dev.coxswain.dashboards;

import dev.coxswain.collector.snapshot.SnapshotHub;
import dev.coxswain.core.CoxswainException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST API, /metrics, the page's files and the live stream, against a real server on a free port. */
class DashboardServerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final ClusterFixture fixture = new ClusterFixture(T0, 3);
    private final SnapshotHub hub = new SnapshotHub();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private DashboardServer server;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        http.close();
    }

    private DashboardServer start(Clock clock, Duration pushInterval) {
        server = new DashboardServer(DashboardSettings.defaults().withPort(0).withPushInterval(pushInterval), hub,
                registry, clock).start();
        toClose.add(server);
        return server;
    }

    private DashboardServer startWithSnapshot() {
        start(new ManualClock(T0.plusSeconds(61)), Duration.ofSeconds(1));
        hub.publish(fixture.snapshot(5, T0.plusSeconds(60)));
        return server;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject getJson(String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        return new JsonObject(response.body());
    }

    @Test
    void servesTheGraphOfTheLatestSnapshot() throws Exception {
        startWithSnapshot();

        JsonObject graph = getJson("/api/graph", 200);

        assertThat(graph.getLong("generation")).isEqualTo(5);
        assertThat(graph.getString("at")).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(graph.getJsonArray("vertices")).hasSize(15);
        assertThat(graph.getJsonArray("links")).hasSize(26);
        assertThat(graph.getJsonArray("links").stream().map(JsonObject.class::cast)
                .filter(l -> l.getString("id").equals(fixture.nic1Uplink.id())).findFirst().orElseThrow()
                .getString("level")).isEqualTo("saturated");
    }

    @Test
    void listsTheJobsWithWorkerCountsAndMeanStepTimes() throws Exception {
        startWithSnapshot();

        JsonObject jobs = getJson("/api/jobs", 200);

        assertThat(jobs.getLong("generation")).isEqualTo(5);
        assertThat(jobs.getJsonArray("jobs").stream().map(j -> ((JsonObject) j).getString("id")))
                .containsExactly("bert-ft", "resnet-ddp");
        JsonObject resnet = jobs.getJsonArray("jobs").getJsonObject(1);
        assertThat(resnet.getInteger("workerCount")).isEqualTo(4);
        assertThat(resnet.getString("pattern")).isEqualTo("RING_ALLREDUCE");
        assertThat(resnet.getDouble("meanStepMs")).isPositive();
    }

    @Test
    void detailsOneJobWithItsWorkersStepsAndFlows() throws Exception {
        startWithSnapshot();

        JsonObject answer = getJson("/api/jobs/resnet-ddp", 200);

        JsonObject job = answer.getJsonObject("job");
        assertThat(answer.getLong("generation")).isEqualTo(5);
        assertThat(job.getJsonArray("workers")).hasSize(4);
        assertThat(job.getJsonArray("workers").getJsonObject(3).getJsonArray("points")).isNotEmpty();
        assertThat(job.getJsonArray("flows").getJsonObject(0).getJsonArray("route")).hasSize(4);
    }

    @Test
    void answersAnUnknownJobWithA404InJson() throws Exception {
        startWithSnapshot();

        JsonObject error = getJson("/api/jobs/no-such-job", 404);

        assertThat(error.getString("error")).isEqualTo("not_found");
        assertThat(error.getString("message")).contains("no-such-job").contains("generation 5");
        assertThat(error.getLong("generation")).isEqualTo(5);
    }

    @Test
    void answersUnknownPathsAndWrongMethodsInJson() throws Exception {
        startWithSnapshot();

        assertThat(getJson("/api/nothing", 404).getString("error")).isEqualTo("not_found");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/graph"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(new JsonObject(post.body()).getString("error")).isEqualTo("method_not_allowed");
    }

    @Test
    void reportsHealthWithTheSnapshotAge() throws Exception {
        startWithSnapshot();

        JsonObject health = getJson("/api/health", 200);

        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getBoolean("hasData")).isTrue();
        assertThat(health.getLong("snapshotAgeMs")).isEqualTo(1000);
        assertThat(health.getString("serverTime")).isEqualTo(T0.plusSeconds(61).toString());
    }

    @Test
    void reportsHealthWithoutDataBeforeTheFirstSnapshot() throws Exception {
        start(new ManualClock(T0), Duration.ofSeconds(1));

        JsonObject health = getJson("/api/health", 200);

        assertThat(health.getLong("generation")).isZero();
        assertThat(health.getBoolean("hasData")).isFalse();
        assertThat(getJson("/api/graph", 200).getJsonArray("vertices")).isEmpty();
        assertThat(getJson("/api/jobs", 200).getJsonArray("jobs")).isEmpty();
    }

    @Test
    void exposesTheSharedRegistryAndItsOwnMetersToPrometheus() throws Exception {
        Counter.builder("coxswain.collector.records.ingested").baseUnit("records").register(registry).increment(42);
        startWithSnapshot();
        get("/api/graph");

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
                .contains("coxswain_collector_records_ingested_records_total 42.0")
                .contains("coxswain_dashboard_snapshot_vertices 15.0")
                .contains("coxswain_dashboard_snapshot_links 26.0")
                .contains("coxswain_dashboard_snapshot_generation 5.0")
                .contains("coxswain_dashboard_snapshot_age_seconds 1.0")
                .contains("coxswain_dashboard_sse_clients_connections 0.0")
                .containsPattern("coxswain_dashboard_http_requests_seconds_count\\{route=\"/api/graph\",status=\"200\"} 1");
    }

    @Test
    void servesThePageFromTheJarUnderAContentSecurityPolicy() throws Exception {
        startWithSnapshot();

        HttpResponse<String> page = get("/");
        HttpResponse<String> script = get("/dashboard.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("<svg id=\"graph\"", "/dashboard.js").doesNotContain("http://", "https://");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("new EventSource('/api/stream')");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(server.uri().resolve("/dashboard.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void streamsTheFullStateOnConnectThenPacedUpdates() throws Exception {
        start(Clock.systemUTC(), Duration.ofMillis(400));
        hub.publish(fixture.snapshot(1, T0.plusSeconds(60)));
        try (SseReader stream = new SseReader(server.uri().resolve("/api/stream"))) {
            assertThat(stream.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/event-stream"));
            SseReader.Event full = stream.next(Duration.ofSeconds(5));
            assertThat(full.name()).isEqualTo("full");
            assertThat(full.data().getLong("generation")).isEqualTo(1);
            assertThat(full.data().getJsonArray("jobs")).hasSize(2);

            for (int g = 2; g <= 6; g++) {
                hub.publish(fixture.snapshot(g, T0.plusSeconds(60 + g)));
            }
            List<SseReader.Event> updates = new ArrayList<>();
            for (SseReader.Event e = stream.next(Duration.ofSeconds(3)); e != null; e = stream.next(Duration.ofMillis(900))) {
                updates.add(e);
            }

            assertThat(updates).isNotEmpty().hasSizeLessThanOrEqualTo(2).allMatch(e -> e.name().equals("update"));
            assertThat(updates.getLast().data().getLong("generation")).isEqualTo(6);
            assertThat(server.streamClients()).isEqualTo(1);
        }
    }

    @Test
    void countsStreamClientsUntilTheyLeave() throws Exception {
        startWithSnapshot();
        SseReader stream = new SseReader(server.uri().resolve("/api/stream"));
        assertThat(stream.next(Duration.ofSeconds(5))).isNotNull();
        assertThat(server.streamClients()).isEqualTo(1);

        stream.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.streamClients() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.streamClients()).isZero();
    }

    @Test
    void failsToStartOnABusyPortNamingTheKeyToChange() {
        startWithSnapshot();
        DashboardServer second = new DashboardServer(DashboardSettings.defaults().withPort(server.port()), hub,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

        assertThatThrownBy(second::start)
                .isInstanceOf(CoxswainException.class)
                .hasMessageContaining("127.0.0.1:" + server.port())
                .hasMessageContaining("dashboard.port");
    }

    @Test
    void removesItsMetersWhenClosed() {
        startWithSnapshot();

        server.close();

        assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().startsWith("coxswain.dashboard."));
    }
}
