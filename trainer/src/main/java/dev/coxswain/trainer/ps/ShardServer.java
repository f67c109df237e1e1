package dev.coxswain.trainer.ps;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One parameter-server shard over HTTP/1.1 on loopback (Vert.x). Endpoints:
 * <ul>
 *   <li>{@code POST /v1/ps/push?worker=&clock=&weight=&lr=&sync=} with the gradient slice as raw float32 LE;
 *       answers with the slice's parameters as they are once the push took effect (for a BSP push, once its round
 *       is applied), so that the worker needs no separate pull; headers {@code X-Outcome} (APPLIED, BUFFERED,
 *       DUPLICATE), {@code X-Min-Pushed} (the lowest clock every worker has pushed) and {@code X-Held-Ms} (how long
 *       the answer waited for the round)</li>
 *   <li>{@code GET /v1/ps/params[?averaged=true]}: the slice (or its moving average) as raw float32 LE</li>
 *   <li>{@code GET /v1/ps/stats}: applied pushes per worker, duplicates, optimiser steps</li>
 *   <li>{@code POST /v1/ps/shutdown}: stop serving ({@link #awaitShutdown()} returns)</li>
 * </ul>
 * The {@link ShardState} is touched only on the server's single event loop.
 */
public final class ShardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardServer.class);

    private final int index;
    private final ShardState state;
    private final Vertx vertx;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    /** Answers to BSP pushes, held until their round is applied. Event loop only. */
    private final List<Held> held = new ArrayList<>();
    private HttpServer server;

    public ShardServer(int index, ShardState state) {
        this.index = index;
        this.state = state;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    }

    /** Binds to {@code host:port} (0 for any free port) and returns the bound port. */
    public int start(String host, int port) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(64L << 20).setHandleFileUploads(false));
        router.post("/v1/ps/push").handler(this::push);
        router.get("/v1/ps/params").handler(this::params);
        router.get("/v1/ps/stats").handler(ctx -> ctx.json(stats()));
        router.post("/v1/ps/shutdown").handler(ctx -> {
            ctx.json(new JsonObject());
            shutdown.countDown();
        });
        Promise<HttpServer> started = Promise.promise();
        vertx.runOnContext(v -> vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setTcpNoDelay(true).setMaxChunkSize(1 << 20).setReceiveBufferSize(1 << 20)
                        .setSendBufferSize(1 << 20)).requestHandler(router).listen().onComplete(started));
        server = started.future().await();
        LOG.info("parameter-server shard {} ({} parameters) listening on {}:{}", index, state.length(), host,
                server.actualPort());
        return server.actualPort();
    }

    private record Held(RoutingContext ctx, long clock, PushOutcome outcome, long sinceNanos) {
    }

    private void push(RoutingContext ctx) {
        try {
            int worker = Integer.parseInt(ctx.queryParams().get("worker"));
            long clock = Long.parseLong(ctx.queryParams().get("clock"));
            float weight = Float.parseFloat(ctx.queryParams().get("weight"));
            float lr = Float.parseFloat(ctx.queryParams().get("lr"));
            boolean sync = Boolean.parseBoolean(ctx.queryParams().get("sync"));
            float[] grad = new float[state.length()];
            FloatCodec.decode(ctx.body().buffer(), grad, 0, grad.length);
            PushOutcome outcome = state.push(worker, clock, weight, lr, sync, grad);
            held.add(new Held(ctx, clock, outcome, System.nanoTime()));
            answerHeld();
        } catch (RuntimeException e) {
            LOG.warn("shard {}: bad push {}: {}", index, ctx.request().query(), e.getMessage());
            ctx.response().setStatusCode(400).end(new JsonObject().put("error", String.valueOf(e.getMessage()))
                    .encode());
        }
    }

    /** Answers every held push whose round is no longer pending, with the parameters as they are now. */
    private void answerHeld() {
        Buffer params = null;
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (state.pending(h.clock())) {
                continue;
            }
            it.remove();
            if (params == null) {
                params = FloatCodec.encode(state.parameters(), 0, state.length());
            }
            if (!h.ctx().response().closed()) {
                h.ctx().response().putHeader("Content-Type", "application/octet-stream")
                        .putHeader("X-Outcome", h.outcome().name())
                        .putHeader("X-Min-Pushed", Long.toString(state.minPushed()))
                        .putHeader("X-Held-Ms", String.format("%.3f", (System.nanoTime() - h.sinceNanos()) / 1e6))
                        .end(params);
            }
        }
    }

    private void params(RoutingContext ctx) {
        boolean averaged = Boolean.parseBoolean(ctx.queryParams().get("averaged"));
        ctx.response().putHeader("Content-Type", "application/octet-stream")
                .end(FloatCodec.encode(averaged ? state.averagedParameters() : state.parameters(), 0,
                        state.length()));
    }

    private JsonObject stats() {
        ShardState.Stats s = state.stats();
        JsonArray applied = new JsonArray();
        for (long a : s.appliedPerWorker()) {
            applied.add(a);
        }
        return new JsonObject().put("shard", index).put("applied", applied).put("duplicates", s.duplicates())
                .put("optimizer_steps", s.optimizerSteps()).put("pending_clocks", s.pendingClocks());
    }

    /** The state's counters, read on the event loop. */
    public ShardState.Stats statsNow() {
        Promise<ShardState.Stats> p = Promise.promise();
        vertx.runOnContext(v -> p.complete(state.stats()));
        return p.future().await();
    }

    /** Blocks until a client posts {@code /v1/ps/shutdown}. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void close() {
        shutdown.countDown();
        Future<Void> closed = vertx.close();
        closed.await();
    }
}
