package dev.coxswain.dashboards.http;

import dev.coxswain.core.BadInputException;
import dev.coxswain.dashboards.whatif.LiveScenario;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code POST /api/place} with {@code {"job": "<a jobs YAML file holding one job>", "seed": 1}}: ranks places for a
 * new all-reduce job on the live cluster among the jobs running there ({@code coxswain place --cluster live}). The
 * cluster and the running jobs are read from the latest snapshot ({@link LiveScenario#cluster}); the job file is the
 * what-if syntax (docs/whatif.md), its workers indexing the live cluster's nodes in the order the answer lists them.
 * The answer lists every candidate, best first, with the jobs left out and why. One run at a time, off the event
 * loop; a second while one runs is 429. It changes nothing, so it needs no token.
 */
public final class PlaceRoutes {
    private static final int MAX_BODY = 64 * 1024;

    private final Optional<PlacementRanker> ranker;
    private final ApiRoutes api;
    private final OneAtATime oneAtATime;

    public PlaceRoutes(Vertx vertx, SnapshotSource source, Optional<PlacementRanker> ranker, ApiRoutes api) {
        this.ranker = ranker;
        this.api = api;
        this.oneAtATime = new OneAtATime(vertx, source, api, "a placement is being ranked; try again when it ends");
    }

    public void mount(Router router, RequestMetrics metrics) {
        router.post("/api/place").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(metrics.timed("/api/place", this::place));
    }

    private void place(RoutingContext ctx) {
        if (ranker.isEmpty()) {
            ApiRoutes.send(ctx, 503, api.error("unavailable", "this server has no placement engine"));
            return;
        }
        oneAtATime.answer(ctx, this::rank);
    }

    private JsonObject rank(ClusterSnapshot snapshot, JsonObject body) {
        if (!(body.getValue("job") instanceof String yaml) || yaml.isBlank()) {
            throw new BadInputException("request body", 0, "job",
                    "a jobs YAML file holding the one job to place is required (docs/whatif.md)");
        }
        if (!(body.getValue("seed", 1) instanceof Number n) || n.longValue() != n.doubleValue()) {
            throw new BadInputException("request body", 0, "seed", "not a whole number: " + body.getValue("seed"));
        }
        long seed = n.longValue();
        LiveScenario.LiveCluster live = LiveScenario.cluster(snapshot);
        JobSpec job = PlacementRanker.jobToPlace(JobFile.parse("job", yaml, live.cluster()).jobs(), "the job file");
        PlacementRanker engine = ranker.orElseThrow();
        long t0 = System.nanoTime();
        List<RankedPlacement> ranked = engine.rank(live.cluster(), live.running(), live.held(), job, seed);
        double sec = (System.nanoTime() - t0) / 1e9;
        int busy = live.running().stream().mapToInt(JobSpec::workers).sum() + live.held().size();
        JsonArray places = new JsonArray();
        for (RankedPlacement p : ranked) {
            places.add(new JsonObject()
                    .put("how", p.how())
                    .put("gpus", p.gpusByNode(live.cluster(), live.nodes()::get))
                    .put("stepMs", 1000 * p.stepSec())
                    .put("cost", p.cost())
                    .put("bottleneck", p.bottleneck().map(live::linkName).orElse(null))
                    .put("bottleneckUtilization", p.bottleneckUtilization()));
        }
        return new JsonObject()
                .put("job", job.name())
                .put("workers", job.workers())
                .put("engine", engine.engine())
                .put("seconds", sec)
                .put("nodes", new JsonArray(live.nodes()))
                .put("gpus", live.cluster().gpuCount())
                .put("freeGpus", live.cluster().gpuCount() - busy)
                .put("running", new JsonArray(live.running().stream().map(JobSpec::name).toList()))
                .put("skipped", new JsonObject(new TreeMap<String, Object>(live.skipped())))
                .put("placements", places);
    }
}
