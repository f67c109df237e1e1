package dev.coxswain.agent.intake;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/knobs/{job}} and the long-poll {@code GET /v1/knobs/{job}/{worker}?after=&wait_ms=} over a
 * {@link KnobStore}. A waiting GET holds no thread: it is a subscription in the store plus a timer.
 */
final class KnobRoutes {
    static final long DEFAULT_WAIT_MS = 25_000;
    static final long MAX_WAIT_MS = 60_000;
    private static final Set<String> BODY_FIELDS = Set.of("worker", "knobs");

    private final Vertx vertx;
    private final KnobStore store;
    private final Runnable onRejected;

    KnobRoutes(Vertx vertx, KnobStore store, Runnable onRejected) {
        this.vertx = vertx;
        this.store = store;
        this.onRejected = onRejected;
    }

    void set(RoutingContext ctx) {
        try {
            String job = FieldReader.checkId("job", ctx.pathParam("job"));
            JsonObject body = Replies.body(ctx);
            FieldReader r = new FieldReader(body, "");
            r.rejectUnknown(BODY_FIELDS);
            Optional<String> worker = r.optionalId("worker");
            KnobPatch patch = KnobPatch.parse(r.object("knobs"), "knobs");
            long version = store.set(job, worker, patch);
            Replies.json(ctx, 200, new JsonObject().put("version", version));
        } catch (InvalidFieldException e) {
            onRejected.run();
            Replies.error(ctx, 400, e.getMessage());
        }
    }

    void poll(RoutingContext ctx) {
        String job;
        String worker;
        long after;
        long waitMs;
        try {
            job = FieldReader.checkId("job", ctx.pathParam("job"));
            worker = FieldReader.checkId("worker", ctx.pathParam("worker"));
            after = queryLong(ctx, "after", -1, -1, Long.MAX_VALUE);
            waitMs = queryLong(ctx, "wait_ms", DEFAULT_WAIT_MS, 0, MAX_WAIT_MS);
        } catch (InvalidFieldException e) {
            onRejected.run();
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        Context context = vertx.getOrCreateContext();
        AtomicLong timer = new AtomicLong(-1);
        KnobStore.Subscription sub = store.awaitAfter(job, worker, after, snapshot -> context.runOnContext(v -> {
            if (timer.get() >= 0) {
                vertx.cancelTimer(timer.get());
            }
            JsonObject reply = new JsonObject().put("version", snapshot.version())
                    .put("knobs", new JsonObject(snapshot.knobs().toJsonMap()));
            snapshot.action().ifPresent(a -> reply.put("action", a));
            Replies.json(ctx, 200, reply);
        }));
        if (waitMs == 0) {
            if (sub.cancel()) {
                Replies.noContent(ctx);
            }
            return;
        }
        timer.set(vertx.setTimer(waitMs, id -> {
            if (sub.cancel()) {
                Replies.noContent(ctx);
            }
        }));
        ctx.response().closeHandler(v -> {
            if (sub.cancel()) {
                vertx.cancelTimer(timer.get());
            }
        });
    }

    private static long queryLong(RoutingContext ctx, String name, long fallback, long min, long max) {
        String text = ctx.queryParams().get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(name, "expected an integer, got '" + FieldReader.shorten(text) + "'");
        }
        if (value < min || value > max) {
            throw new InvalidFieldException(name, value + " is outside " + min + ".."
                    + (max == Long.MAX_VALUE ? "" : max));
        }
        return value;
    }
}
