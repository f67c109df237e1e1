package dev.coxswain.dashboards.http;

import dev.coxswain.core.BadInputException;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Answers a request with work over the latest snapshot, off the event loop, one request at a time: 429 while one
 * runs; the work's answer in the snapshot's envelope; 400 when the work finds the input bad.
 */
final class OneAtATime {
    private final Vertx vertx;
    private final SnapshotSource source;
    private final ApiRoutes api;
    private final String busy;
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param busy what the 429 answer says */
    OneAtATime(Vertx vertx, SnapshotSource source, ApiRoutes api, String busy) {
        this.vertx = vertx;
        this.source = source;
        this.api = api;
        this.busy = busy;
    }

    void answer(RoutingContext ctx, Function<ClusterSnapshot, JsonObject> work) {
        if (!running.compareAndSet(false, true)) {
            ApiRoutes.send(ctx, 429, api.error("busy", busy));
            return;
        }
        ClusterSnapshot snapshot = source.latest();
        vertx.<JsonObject>executeBlocking(() -> work.apply(snapshot), false).onComplete(r -> {
            running.set(false);
            if (r.succeeded()) {
                ApiRoutes.send(ctx, 200, api.envelope(snapshot).mergeIn(r.result()));
            } else if (r.cause() instanceof BadInputException | r.cause() instanceof IllegalArgumentException) {
                ApiRoutes.send(ctx, 400, api.error(snapshot, "bad_request", r.cause().getMessage()));
            } else {
                ctx.fail(r.cause());
            }
        });
    }
}
