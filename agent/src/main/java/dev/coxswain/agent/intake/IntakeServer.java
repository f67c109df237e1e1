package dev.coxswain.agent.intake;

import dev.coxswain.agent.publish.BufferedPublisher;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The HTTP endpoint training processes talk to (docs/agent-protocol.md): step reports, job membership and events
 * go into the {@link BufferedPublisher} and are answered at once, never waiting on Kafka; knobs are served from a
 * {@link KnobStore} with long-polling; {@code /v1/health} reports the buffer and Kafka state. Runs on one Vert.x
 * event loop. Rejected requests and batch entries are counted in {@code coxswain.agent.rejected}, tagged by
 * endpoint.
 */
public final class IntakeServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntakeServer.class);
    /** 10,000 reports of a few hundred bytes each, with room to spare. */
    static final long MAX_BODY_BYTES = 16L << 20;

    /**
     * @param host the address to bind, normally loopback
     * @param port the port, or 0 for any free one (tests)
     */
    public record Options(String host, int port, String nodeId) {
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
        }
    }

    private final Vertx vertx;
    private final Options options;
    private final BufferedPublisher publisher;
    private final KnobStore knobs;
    private final IntakeDecoder decoder;
    private final MeterRegistry registry;
    private final AtomicLong rejected = new AtomicLong();
    private HttpServer server;

    public IntakeServer(Vertx vertx, Options options, BufferedPublisher publisher, KnobStore knobs,
                        MeterRegistry registry, Clock clock) {
        this.vertx = vertx;
        this.options = options;
        this.publisher = publisher;
        this.knobs = knobs;
        this.registry = registry;
        this.decoder = new IntakeDecoder(clock, options.nodeId());
    }

    /** Binds the port and starts answering; blocks until bound and returns the bound port. */
    public int start() {
        Router router = Router.router(vertx);
        router.route().handler(this::collectBody);
        Counter stepsRejected = rejectedCounter("steps");
        Counter eventsRejected = rejectedCounter("events");
        Counter jobsRejected = rejectedCounter("jobs");
        Counter knobsRejected = rejectedCounter("knobs");
        router.post("/v1/steps").handler(ctx -> batch(ctx, decoder::steps, stepsRejected));
        router.post("/v1/events").handler(ctx -> batch(ctx, decoder::events, eventsRejected));
        router.post("/v1/jobs").handler(ctx -> membership(ctx, jobsRejected));
        KnobRoutes knobRoutes = new KnobRoutes(vertx, knobs, () -> count(knobsRejected, 1));
        router.post("/v1/knobs/:job").handler(knobRoutes::set);
        router.get("/v1/knobs/:job/:worker").handler(knobRoutes::poll);
        router.get("/v1/health").handler(this::health);
        router.errorHandler(404, ctx -> Replies.error(ctx, 404, "no such endpoint: " + ctx.request().path()));
        router.errorHandler(405, ctx -> Replies.error(ctx, 405, ctx.request().method() + " is not allowed on "
                + ctx.request().path()));
        router.errorHandler(413, ctx -> Replies.error(ctx, 413, "body larger than " + MAX_BODY_BYTES + " bytes"));
        router.errorHandler(500, ctx -> {
            log.error("intake failed on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
            Replies.error(ctx, 500, "internal error: " + ctx.failure());
        });
        try {
            // HTTP/1.1 only: a client offering an h2c upgrade (Java's HttpClient does by default) would otherwise
            // wait seconds on a POST with a body.
            server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                    .requestHandler(router)
                    .listen(options.port(), options.host())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new CoxswainException("cannot listen on " + options.host() + ":" + options.port() + " ("
                    + IntakeServer.class.getSimpleName() + ", agent.intake.port): " + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoxswainException("interrupted while starting the intake", e);
        }
        log.info("agent intake listening on http://{}:{}", options.host(), server.actualPort());
        return server.actualPort();
    }

    /**
     * Reads a POST body whole, whatever its content type. Vert.x's BodyHandler would parse a body sent as
     * {@code application/x-www-form-urlencoded} (curl's default for {@code -d}) as a form and fail on JSON longer
     * than a form field may be; the protocol says the body is JSON, so it is taken as such.
     */
    private void collectBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.method() != HttpMethod.POST) {
            ctx.next();
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null && length.length() > 0 && parseLong(length) > MAX_BODY_BYTES) {
            // Answer before reading the body; "Connection: close" makes Vert.x close once the answer is flushed
            // (closing right away could drop the answer).
            ctx.response().putHeader("connection", "close");
            Replies.error(ctx, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        request.body().onSuccess(body -> {
            if (body.length() > MAX_BODY_BYTES) {
                Replies.error(ctx, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
            } else {
                ctx.put(Replies.BODY, body);
                ctx.next();
            }
        }).onFailure(ctx::fail);
        request.resume();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Counter rejectedCounter(String endpoint) {
        return Counter.builder("coxswain.agent.rejected").tag("endpoint", endpoint)
                .description("Intake requests or batch entries rejected as malformed or invalid")
                .register(registry);
    }

    private void count(Counter counter, int n) {
        counter.increment(n);
        rejected.addAndGet(n);
    }

    private <T extends Telemetry> void batch(RoutingContext ctx,
                                             Function<JsonObject, IntakeDecoder.Batch<T>> decode,
                                             Counter rejectedCounter) {
        IntakeDecoder.Batch<T> batch;
        try {
            batch = decode.apply(Replies.body(ctx));
        } catch (InvalidFieldException e) {
            count(rejectedCounter, 1);
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        publisher.offerAll(batch.accepted());
        JsonArray rejectedEntries = new JsonArray();
        for (IntakeDecoder.Rejected r : batch.rejected()) {
            rejectedEntries.add(new JsonObject().put("index", r.index()).put("error", r.error()));
        }
        count(rejectedCounter, batch.rejected().size());
        Replies.json(ctx, 202, new JsonObject().put("accepted", batch.accepted().size())
                .put("rejected", rejectedEntries));
    }

    private void membership(RoutingContext ctx, Counter rejectedCounter) {
        JobMembership membership;
        try {
            membership = decoder.membership(Replies.body(ctx));
        } catch (InvalidFieldException | InvalidTelemetryException e) {
            count(rejectedCounter, 1);
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        publisher.offer(membership);
        knobs.members(membership.jobId(), membership.members().stream()
                .filter(m -> m.role() == JobMembership.Role.WORKER).map(JobMembership.Member::workerId)
                .collect(java.util.stream.Collectors.toSet()));
        Replies.json(ctx, 202, new JsonObject());
    }

    private void health(RoutingContext ctx) {
        Replies.json(ctx, 200, new JsonObject()
                .put("node", options.nodeId())
                .put("buffered", publisher.buffered())
                .put("dropped", publisher.dropped())
                .put("kafka", publisher.kafkaUp() ? "up" : "down")
                .put("sent", publisher.sent())
                .put("rejected", rejected.get())
                .put("capacity", publisher.capacity()));
    }

    /** Requests and batch entries rejected since start, all endpoints. */
    public long rejected() {
        return rejected.get();
    }

    /** Stops listening; waiting long-polls are cut. */
    @Override
    public void close() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("intake did not close cleanly: {}", rootMessage(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
