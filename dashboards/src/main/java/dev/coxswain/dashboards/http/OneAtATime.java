package dev.coxswain.dashboards.http;

import dev.coxswain.core.BadInputException;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Answers a request with work over its JSON body and the latest snapshot, off the event loop, one request at a time:
 * 400 when the body is not a JSON object or the work finds it bad (naming what is wrong); 429 while one runs; else
 * the work's answer in the snapshot's envelope.
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

    void answer(RoutingContext ctx, BiFunction<ClusterSnapshot, JsonObject, JsonObject> work) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            body = null;
        }
        if (body == null) {
            ApiRoutes.send(ctx, 400, api.error("bad_request", "the body must be a JSON object"));
            return;
        }
        if (!running.compareAndSet(false, true)) {
            ApiRoutes.send(ctx, 429, api.error("busy", busy));
            return;
        }
        ClusterSnapshot snapshot = source.latest();
        JsonObject request = body;
        vertx.<JsonObject>executeBlocking(() -> work.apply(snapshot, request), false).onComplete(r -> {
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
