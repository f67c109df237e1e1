package dev.coxswain.dashboards;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST API, /metrics, the page's files and the live stream, against a real server on a free port. */
class DashboardServerIT {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final ClusterFixture fixture = new ClusterFixture(T0, 3);
    private final SnapshotHub hub = new SnapshotHub();
    private final DetectionHub detections = new DetectionHub(new StragglerBoard(0, Instant.EPOCH, "rules", List.of(), List.of()));
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
                DashboardServer.Boards.none().withDetections(detections), registry, clock).start();
        toClose.add(server);
        return server;
    }

    private DashboardServer startWithSnapshot() {
        start(new MutableClock(T0.plusSeconds(61)), Duration.ofSeconds(1));
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
        assertThat(graph.getString("dataAt")).as("the newest telemetry in the snapshot")
                .isEqualTo(T0.plusSeconds(60).toString());
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
        start(new MutableClock(T0), Duration.ofSeconds(1));

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
        HttpResponse<String> script = get("/js/stream.js");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'"));
        assertThat(page.body()).contains("<div id=\"graph\"", "<script type=\"module\" src=\"/js/dashboard.js\">")
                .doesNotContain("http://", "https://");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).contains("new EventSource(streamUrl('/api/stream'))");
        String etag = script.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(server.uri().resolve("/js/stream.js"))
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        // The chart libraries come from their WebJars, served here, and the what-if chart from the whatif module.
        assertThat(get("/vendor/uPlot.esm.js").body()).contains("export { uPlot as default }");
        assertThat(get("/vendor/echarts.esm.min.js").body()).contains("getInstanceByDom");
        assertThat(get("/js/whatif-chart.js").body()).contains("export function whatIfOption");
        assertThat(get("/whatif").body()).contains("src=\"/js/whatif-page.js\"");
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

        Await.until("the closed stream's client to be gone", () -> server.streamClients() == 0);
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

    @Test
    void listsTheCurrentAndRecentStragglerEpisodes() throws Exception {
        startWithSnapshot();
        detections.publish(fixture.stragglers(3, T0.plusSeconds(60), false));

        JsonObject answer = getJson("/api/stragglers", 200);

        assertThat(answer.getLong("generation")).as("the snapshot's").isEqualTo(5);
        assertThat(answer.getString("detector")).isEqualTo("rules");
        assertThat(answer.getLong("detectionsGeneration")).isEqualTo(3);
        JsonObject w3 = answer.getJsonArray("current").getJsonObject(0);
        assertThat(w3.getString("job")).isEqualTo("resnet-ddp");
        assertThat(w3.getString("worker")).isEqualTo("w3");
        assertThat(w3.getString("gpu")).isEqualTo("gpu:n2/1");
        assertThat(w3.getString("cause")).isEqualTo("gpu_compute");
        assertThat(w3.getString("causeText")).startsWith("GPU compute");
        assertThat(w3.getDouble("slowdown")).isEqualTo(1.4);
        assertThat(w3.getDouble("confidence")).isEqualTo(0.9);
        assertThat(w3.getLong("sinceStep")).isEqualTo(200);
        assertThat(w3.getString("since")).isEqualTo(T0.plusSeconds(30).toString());
        assertThat(w3.getBoolean("open")).isTrue();
        JsonObject bert = answer.getJsonArray("recent").getJsonObject(0);
        assertThat(bert.getString("endReason")).isEqualTo("recovered");
        assertThat(bert.getValue("gpu")).isNull();
    }

    @Test
    void saysTheDetectorIsOffWhenThereIsNone() throws Exception {
        server = new DashboardServer(DashboardSettings.defaults().withPort(0), hub, registry).start();
        toClose.add(server);

        JsonObject answer = getJson("/api/stragglers", 200);

        assertThat(answer.getString("detector")).isEqualTo("off");
        assertThat(answer.getJsonArray("current")).isEmpty();
    }

    @Test
    void streamsTheStragglerBoardOnConnectAndWhenItChanges() throws Exception {
        startWithSnapshot();
        detections.publish(fixture.stragglers(1, T0.plusSeconds(60), false));
        try (SseReader stream = new SseReader(server.uri().resolve("/api/stream"))) {
            SseReader.Event full = stream.next(Duration.ofSeconds(5));
            assertThat(full.data().getJsonObject("stragglers").getJsonArray("current")).hasSize(1);

            detections.publish(fixture.stragglers(2, T0.plusSeconds(61), true));

            SseReader.Event next = stream.next(Duration.ofSeconds(5));
            assertThat(next.name()).isEqualTo("stragglers");
            assertThat(next.data().getLong("detectionsGeneration")).isEqualTo(2);
            assertThat(next.data().getJsonArray("current")).isEmpty();
            assertThat(next.data().getJsonArray("recent")).hasSize(2);
        }
    }

    private static NetworkBoard networkBoard(long generation, double errorPct) {
        NetworkBoard.Bottleneck bound = new NetworkBoard.Bottleneck("switch:tor-1~switch:spine", "switch:tor-1",
                "switch:spine", "FABRIC", 0.95);
        return new NetworkBoard(generation, T0.plusSeconds(60), "graph network m.model", Map.of("resnet-ddp",
                new NetworkBoard.JobNetwork("resnet-ddp", 30, Double.NaN, 300, 1, errorPct, Optional.of(bound),
                        List.of())), Map.of("switch:tor-1~switch:spine", 0.95, "nic:n1/mlx5_0~switch:tor-1", 0.1));
    }

    @Test
    void servesAndStreamsTheNetworkModelsBoard() throws Exception {
        Hub<NetworkBoard> network = new Hub<>("network board", networkBoard(1, Double.NaN));
        server = new DashboardServer(DashboardSettings.defaults().withPort(0), hub,
                DashboardServer.Boards.none().withDetections(detections).withNetwork(network), registry,
                new MutableClock(T0.plusSeconds(61))).start();
        toClose.add(server);
        hub.publish(fixture.snapshot(5, T0.plusSeconds(60)));

        JsonObject answer = getJson("/api/network", 200);

        assertThat(answer.getLong("generation")).as("the snapshot's").isEqualTo(5);
        assertThat(answer.getString("model")).isEqualTo("graph network m.model");
        JsonObject job = answer.getJsonArray("jobs").getJsonObject(0);
        assertThat(job.getString("job")).isEqualTo("resnet-ddp");
        assertThat(job.getDouble("commMs")).isEqualTo(30);
        assertThat(job.getValue("measuredCommMs")).as("not reported: null, not NaN").isNull();
        assertThat(job.getValue("recentErrorPct")).isNull();
        assertThat(job.getJsonObject("bottleneck").getString("level")).isEqualTo("saturated");
        assertThat(answer.getJsonArray("links").getJsonObject(1).getJsonArray("bottleneckOf").getList())
                .containsExactly("resnet-ddp");
        try (SseReader stream = new SseReader(server.uri().resolve("/api/stream"))) {
            SseReader.Event full = stream.next(Duration.ofSeconds(5));
            assertThat(full.data().getJsonObject("network").getLong("networkGeneration")).isEqualTo(1);

            network.publish(networkBoard(2, 3.5));

            SseReader.Event next = stream.next(Duration.ofSeconds(5));
            while (!next.name().equals("network")) {
                next = stream.next(Duration.ofSeconds(5));
            }
            assertThat(next.data().getLong("networkGeneration")).isEqualTo(2);
            assertThat(next.data().getJsonArray("jobs").getJsonObject(0).getDouble("recentErrorPct")).isEqualTo(3.5);
        }
    }

    @Test
    void withoutANetworkModelItsBoardSaysOff() throws Exception {
        startWithSnapshot();
        JsonObject answer = getJson("/api/network", 200);
        assertThat(answer.getString("model")).isEqualTo("off");
        assertThat(answer.getJsonArray("jobs")).isEmpty();
    }
}
