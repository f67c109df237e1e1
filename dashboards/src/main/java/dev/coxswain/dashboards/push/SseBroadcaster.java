package dev.coxswain.dashboards.push;

import dev.coxswain.core.hub.Source;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The live stream, {@code GET /api/stream}: Server-Sent Events, a {@code full} event on connect and an {@code update}
 * event per snapshot, paced by a {@link PushPacer} so that a burst of snapshots costs one update, and an event per
 * {@link Board} whenever its source publishes: {@code stragglers} for the live detector's, {@code network} for the
 * network model's (the {@code full} event carries each board too, under the same name). A browser whose
 * connection cannot keep up (its write queue is full) is disconnected; EventSource reconnects it and it starts again
 * from a full event. A comment line goes out every 15 s so that proxies keep idle connections open.
 *
 * <p>Snapshots arrive on the collector's thread and boards on their makers'; both are handed to {@code context},
 * where everything else runs.
 */
public final class SseBroadcaster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SseBroadcaster.class);
    private static final long KEEPALIVE_MS = 15_000;
    private static final Buffer KEEPALIVE = Buffer.buffer(": keepalive\n\n");

    private final Vertx vertx;
    private final Context context;
    private final SnapshotSource source;
    private final List<Board<?>> boards;
    private final StreamUpdates updates;
    private final PushPacer pacer;
    private final AtomicReference<ClusterSnapshot> pending = new AtomicReference<>();
    private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
    private final AtomicInteger clientCount = new AtomicInteger();
    private final Counter pushed;
    private final Counter dropped;
    private final DistributionSummary updateBytes;
    private final List<Meter> meters;
    private final MeterRegistry registry;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private long pushTimer = -1;
    private long keepaliveTimer = -1;

    /**
     * A board pushed as an event of its own whenever its source publishes (a burst of boards costs one event).
     *
     * @param event the event's name, and the board's key in the {@code full} event
     */
    public record Board<T>(String event, Source<T> source, Function<T, JsonObject> json) {
        JsonObject latest() {
            return json.apply(source.latest());
        }
    }

    public SseBroadcaster(Vertx vertx, Context context, SnapshotSource source, List<Board<?>> boards,
                          StreamUpdates updates, PushPacer pacer, MeterRegistry registry) {
        this.vertx = vertx;
        this.context = context;
        this.source = source;
        this.boards = List.copyOf(boards);
        this.updates = updates;
        this.pacer = pacer;
        this.registry = registry;
        Gauge gauge = Gauge.builder("coxswain.dashboard.sse.clients", clientCount, AtomicInteger::get)
                .description("Browsers connected to the dashboard's live stream").baseUnit("connections")
                .register(registry);
        pushed = Counter.builder("coxswain.dashboard.sse.updates")
                .description("Live updates pushed to the connected browsers (one per paced snapshot)")
                .baseUnit("updates").register(registry);
        dropped = Counter.builder("coxswain.dashboard.sse.dropped")
                .description("Stream connections closed because the browser could not keep up")
                .baseUnit("connections").register(registry);
        updateBytes = DistributionSummary.builder("coxswain.dashboard.sse.update.size")
                .description("Size of one live update as sent").baseUnit("bytes").register(registry);
        meters = List.of(gauge, pushed, dropped, updateBytes);
    }

    /** Starts listening to the snapshots and the boards. */
    public void start() {
        subscriptions.add(source.subscribe(snapshot -> {
            pending.set(snapshot);
            context.runOnContext(v -> schedule());
        }));
        for (Board<?> board : boards) {
            AtomicBoolean boardPending = new AtomicBoolean();
            subscriptions.add(board.source().subscribe(b -> {
                if (!boardPending.getAndSet(true)) {
                    context.runOnContext(v -> {
                        boardPending.set(false);
                        pushBoard(board);
                    });
                }
            }));
        }
        context.runOnContext(v -> keepaliveTimer = vertx.setPeriodic(KEEPALIVE_MS, id -> broadcast(KEEPALIVE)));
    }

    /** Handles {@code GET /api/stream}: keeps the response open and sends the full state. */
    public void accept(RoutingContext ctx) {
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache, no-store")
                .putHeader("X-Accel-Buffering", "no");
        JsonObject first = updates.lastPushed() == null
                ? updates.next(source.latest()).put("type", "full")
                : updates.full(updates.lastPushed());
        boards.forEach(b -> first.put(b.event(), b.latest()));
        response.write(Buffer.buffer("retry: 2000\n\n").appendBuffer(event("full", first)));
        clients.add(response);
        clientCount.set(clients.size());
        response.closeHandler(v -> forget(response));
        response.exceptionHandler(e -> forget(response));
        log.debug("stream client {} connected; {} now", ctx.request().remoteAddress(), clients.size());
        if (pending.get() != null) {
            schedule();
        }
    }

    /** Browsers connected now. */
    public int clientCount() {
        return clientCount.get();
    }

    private void schedule() {
        if (pushTimer != -1 || pending.get() == null) {
            return;
        }
        Duration delay = pacer.delayBeforePush();
        if (delay.isZero()) {
            push();
        } else {
            pushTimer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
                pushTimer = -1;
                push();
            });
        }
    }

    private void push() {
        ClusterSnapshot snapshot = pending.getAndSet(null);
        if (snapshot == null || clients.isEmpty()) {
            return;
        }
        ClusterSnapshot previous = updates.lastPushed();
        if (previous != null && snapshot.generation() <= previous.generation()) {
            return;
        }
        Buffer message = event("update", updates.next(snapshot));
        pacer.pushed();
        pushed.increment();
        updateBytes.record(message.length());
        broadcast(message);
    }

    /** Sends the board as it is now. */
    private void pushBoard(Board<?> board) {
        if (clients.isEmpty()) {
            return;
        }
        JsonObject data = board.latest().put("type", board.event());
        broadcast(Buffer.buffer("event: " + board.event() + "\ndata: " + data.encode() + "\n\n"));
    }

    private void broadcast(Buffer message) {
        for (HttpServerResponse client : List.copyOf(clients)) {
            if (client.writeQueueFull()) {
                dropped.increment();
                log.info("closing a stream client that cannot keep up; it will reconnect");
                forget(client);
                client.reset();
            } else {
                client.write(message);
            }
        }
    }

    private void forget(HttpServerResponse response) {
        if (clients.remove(response)) {
            clientCount.set(clients.size());
            if (clients.isEmpty()) {
                updates.reset();
            }
        }
    }

    private static Buffer event(String name, JsonObject data) {
        return Buffer.buffer("event: " + name + "\nid: " + data.getLong("generation") + "\ndata: " + data.encode()
                + "\n\n");
    }

    /** Stops listening and ends every stream; runs on the dashboard's context. */
    @Override
    public void close() {
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("could not unsubscribe from the dashboard's sources", e);
            }
        }
        subscriptions.clear();
        vertx.cancelTimer(pushTimer);
        vertx.cancelTimer(keepaliveTimer);
        for (HttpServerResponse client : List.copyOf(clients)) {
            forget(client);
            client.end();
        }
        meters.forEach(registry::remove);
    }
}
