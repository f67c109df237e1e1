package dev.coxswain.dashboards.http;

import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.hub.Source;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.dashboards.view.GraphJson;
import dev.coxswain.dashboards.view.JobJson;
import dev.coxswain.dashboards.view.NetworkJson;
import dev.coxswain.dashboards.view.StragglerJson;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.SnapshotSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The JSON REST API over the latest snapshot: {@code /api/health}, {@code /api/graph}, {@code /api/jobs} and
 * {@code /api/jobs/{id}}, and over the live detector's latest board: {@code /api/stragglers}. Every answer names the snapshot's generation and time, so a client can tell whether two
 * answers describe the same moment. An unknown job is a 404 with a JSON error.
 */
public final class ApiRoutes {
    private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
    private final SnapshotSource source;
    private final DetectionSource detections;
    private final Source<NetworkBoard> network;
    private final Clock clock;
    private final IntSupplier streamClients;

    public ApiRoutes(SnapshotSource source, DetectionSource detections, Source<NetworkBoard> network, Clock clock,
                     IntSupplier streamClients) {
        this.source = Objects.requireNonNull(source, "source");
        this.detections = Objects.requireNonNull(detections, "detections");
        this.network = Objects.requireNonNull(network, "network");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streamClients = Objects.requireNonNull(streamClients, "streamClients");
    }

    /** Adds the API's routes to {@code router}, each timed under its path by {@code metrics}. */
    public void mount(Router router, RequestMetrics metrics) {
        router.get("/api/health").handler(metrics.timed("/api/health", this::health));
        router.get("/api/graph").handler(metrics.timed("/api/graph", this::graph));
        router.get("/api/jobs").handler(metrics.timed("/api/jobs", this::jobs));
        router.get("/api/jobs/:id").handler(metrics.timed("/api/jobs/{id}", this::job));
        router.get("/api/stragglers").handler(metrics.timed("/api/stragglers", this::stragglers));
        router.get("/api/network").handler(metrics.timed("/api/network", this::network));
    }

    /**
     * Adds the error handlers: every failure, an unknown path (404) or method (405) included, is answered in JSON,
     * and a 500 is logged with its cause.
     */
    public void mountFallbacks(Router router) {
        router.errorHandler(404, ctx -> sendError(ctx, 404, "not_found",
                "nothing at " + ctx.request().path() + "; see /api/health, /api/graph, /api/jobs, /api/stragglers, "
                        + "/api/network, /api/actions"));
        router.errorHandler(405, ctx -> sendError(ctx, 405, "method_not_allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            log.error("dashboard request {} failed", ctx.request().path(), ctx.failure());
            sendError(ctx, 500, "internal", "the dashboard failed to answer; see its log");
        });
    }

    private void health(RoutingContext ctx) {
        ClusterSnapshot s = source.latest();
        boolean hasData = s.generation() > 0;
        send(ctx, 200, envelope(s)
                .put("status", "UP")
                .put("hasData", hasData)
                .put("snapshotAgeMs", hasData ? Duration.between(s.at(), clock.instant()).toMillis() : null)
                .put("streamClients", streamClients.getAsInt()));
    }

    private void graph(RoutingContext ctx) {
        ClusterSnapshot s = source.latest();
        send(ctx, 200, envelope(s).mergeIn(GraphJson.of(s)));
    }

    private void jobs(RoutingContext ctx) {
        ClusterSnapshot s = source.latest();
        JsonArray jobs = new JsonArray();
        JobJson.sorted(s.jobs().values()).forEach(j -> jobs.add(JobJson.summary(j)));
        send(ctx, 200, envelope(s).put("jobs", jobs));
    }

    private void job(RoutingContext ctx) {
        ClusterSnapshot s = source.latest();
        String id = ctx.pathParam("id");
        JobView job = s.jobs().get(id);
        if (job == null) {
            send(ctx, 404, error(s, "not_found", "no job '" + id + "' in generation " + s.generation()));
            return;
        }
        send(ctx, 200, envelope(s).put("job", JobJson.detail(job)));
    }

    private void stragglers(RoutingContext ctx) {
        send(ctx, 200, envelope(source.latest()).mergeIn(StragglerJson.board(detections.latest())));
    }

    private void network(RoutingContext ctx) {
        send(ctx, 200, envelope(source.latest()).mergeIn(NetworkJson.board(network.latest())));
    }

    /** {@link #envelope(ClusterSnapshot)} of the latest snapshot. */
    JsonObject envelope() {
        return envelope(source.latest());
    }

    /** {@link #error(ClusterSnapshot, String, String)} of the latest snapshot. */
    JsonObject error(String code, String message) {
        return error(source.latest(), code, message);
    }

    /**
     * The fields every answer has: the snapshot's generation and time, when its newest telemetry was taken (null
     * when it has none), and the server's time.
     */
    JsonObject envelope(ClusterSnapshot s) {
        return new JsonObject()
                .put("generation", s.generation())
                .put("at", s.at().toString())
                .put("dataAt", s.newestData().map(Instant::toString).orElse(null))
                .put("serverTime", clock.instant().toString());
    }

    /** A JSON error answer: {@code {generation, at, serverTime, error, message}}. */
    JsonObject error(ClusterSnapshot s, String code, String message) {
        return envelope(s).put("error", code).put("message", message);
    }

    private void sendError(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, error(source.latest(), code, message));
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
