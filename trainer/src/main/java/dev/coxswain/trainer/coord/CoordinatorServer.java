package dev.coxswain.trainer.coord;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The coordinator's HTTP face (Vert.x, loopback). Endpoints:
 * <ul>
 *   <li>{@code POST /v1/coord/shards {"index", "url"}}: a shard announces itself</li>
 *   <li>{@code POST /v1/coord/hello {"worker", "node"}}: a worker process starts; answered, once every shard is up,
 *       with {@code {"index", "shards": [url...]}}</li>
 *   <li>{@code POST /v1/coord/advance}: see {@link CoordProtocol}; a long-poll answered when the policy allows</li>
 *   <li>{@code GET /v1/coord/status}</li>
 * </ul>
 * Runs on the coordinator's Vert.x context, so handlers and coordinator state share its event loop.
 */
public final class CoordinatorServer {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorServer.class);

    private final Vertx vertx;
    private final Coordinator coordinator;
    private final ShardRoutes routes;
    private final String[] shardUrls;
    private final List<Runnable> waitingForShards = new ArrayList<>();
    private HttpServer server;

    public CoordinatorServer(Vertx vertx, Coordinator coordinator, int shards, ShardRoutes routes) {
        this.vertx = vertx;
        this.coordinator = coordinator;
        this.routes = routes;
        this.shardUrls = new String[shards];
    }

    /** Binds on the coordinator's context and returns the port. */
    public int start(io.vertx.core.Context context, String host, int port) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        router.post("/v1/coord/shards").handler(this::shard);
        router.post("/v1/coord/hello").handler(this::hello);
        router.post("/v1/coord/advance").handler(this::advance);
        router.get("/v1/coord/status").handler(this::status);
        Promise<HttpServer> started = Promise.promise();
        context.runOnContext(v -> vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setTcpNoDelay(true)).requestHandler(router).listen().onComplete(started));
        server = started.future().await();
        return server.actualPort();
    }

    public List<String> shardUrls() {
        return Arrays.asList(shardUrls.clone());
    }

    private boolean allShardsUp() {
        return Arrays.stream(shardUrls).allMatch(u -> u != null);
    }

    private void shard(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        int index = body.getInteger("index", -1);
        if (index < 0 || index >= shardUrls.length) {
            bad(ctx, "index: " + index + " is not a shard of this job (0.." + (shardUrls.length - 1) + ")");
            return;
        }
        shardUrls[index] = body.getString("url");
        LOG.info("shard {} up at {}", index, shardUrls[index]);
        ctx.json(new JsonObject());
        if (allShardsUp()) {
            waitingForShards.forEach(Runnable::run);
            waitingForShards.clear();
        }
    }

    private void hello(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        String worker = body.getString("worker");
        String node = body.getString("node", "node-0");
        int index;
        try {
            index = coordinator.indexOf(worker);
        } catch (IllegalArgumentException e) {
            bad(ctx, e.getMessage());
            return;
        }
        Runnable answer = () -> {
            coordinator.hello(worker, node);
            ctx.json(new JsonObject().put("index", index)
                    .put("shards", new JsonArray(routes.forWorker(worker, shardUrls()))));
        };
        if (allShardsUp()) {
            answer.run();
        } else {
            waitingForShards.add(answer);
        }
    }

    private void advance(RoutingContext ctx) {
        JsonObject body = ctx.body().asJsonObject();
        try {
            JsonObject completed = body.getJsonObject("completed");
            coordinator.advance(body.getString("worker"),
                    completed == null ? null : CoordProtocol.decodeCompletion(completed),
                    turn -> {
                        if (!ctx.response().ended() && !ctx.response().closed()) {
                            ctx.json(CoordProtocol.encode(turn));
                        }
                    });
        } catch (RuntimeException e) {
            bad(ctx, String.valueOf(e.getMessage()));
        }
    }

    private void status(RoutingContext ctx) {
        coordinator.status().onSuccess(s -> {
            JsonArray workers = new JsonArray();
            for (int i = 0; i < s.workers().size(); i++) {
                workers.add(new JsonObject().put("worker", s.workers().get(i)).put("ended", s.ended()[i])
                        .put("in_flight", s.inFlight()[i]).put("batch", s.plan().local(i)));
            }
            ctx.json(new JsonObject().put("workers", workers).put("policy", s.policy().toString())
                    .put("global_batch", s.plan().global()).put("lr", s.currentLr())
                    .put("lr_scaling", s.learningRate().rule().wireName()).put("started", s.started())
                    .put("stop", s.stopReason()).put("samples", s.cursor())
                    .put("noise_scale", Double.isNaN(s.noiseScale()) ? null : s.noiseScale()));
        });
    }

    private static void bad(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
