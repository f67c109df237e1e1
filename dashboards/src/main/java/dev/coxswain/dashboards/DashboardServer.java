package dev.coxswain.dashboards;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.hub.Source;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.dashboards.http.ApiRoutes;
import dev.coxswain.dashboards.http.BearerAuth;
import dev.coxswain.dashboards.http.ControlRoutes;
import dev.coxswain.dashboards.http.MetricsEndpoint;
import dev.coxswain.dashboards.http.PageAssets;
import dev.coxswain.dashboards.http.PlaceRoutes;
import dev.coxswain.dashboards.http.RequestMetrics;
import dev.coxswain.dashboards.http.WhatIfRoutes;
import dev.coxswain.dashboards.push.PushPacer;
import dev.coxswain.dashboards.push.SseBroadcaster;
import dev.coxswain.dashboards.push.StreamUpdates;
import dev.coxswain.dashboards.view.NetworkJson;
import dev.coxswain.dashboards.view.StragglerJson;
import dev.coxswain.snapshot.SnapshotSource;
import dev.coxswain.whatif.place.PlacementRanker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.CompressionConfig;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The dashboard: a web page over the collector's snapshots and the live detector's straggler episodes, its JSON
 * REST API, a live Server-Sent-Events stream and
 * {@code /metrics} for Prometheus (see docs/dashboard.md). It owns a small Vert.x instance with one event loop,
 * which every request, stream write and timer runs on, so its state needs no locks; Prometheus scrapes run on a
 * worker thread. Reading snapshots never blocks the collector: its listener only hands the snapshot over.
 *
 * <p>Lifecycle: construct, {@link #start()} (blocks until the port is bound), {@link #close()}. Not restartable.
 * The dashboard adds its own meters ({@code coxswain.dashboard.*}) to the given registry and removes them on close.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
    private static final long START_TIMEOUT_S = 30;

    private final DashboardSettings settings;
    private final SnapshotSource source;
    private final DetectionSource detections;
    private final Source<NetworkBoard> network;
    private final Optional<PlacementRanker> placement;
    private final ControlApi control;
    private final PrometheusMeterRegistry registry;
    private BearerAuth auth;
    private final Clock clock;
    private Vertx vertx;
    private Router router;
    private HttpServer server;
    private SseBroadcaster stream;
    private RequestMetrics requestMetrics;
    private SnapshotGauges gauges;

    /**
     * What the dashboard shows beside the snapshots, from the stages that run in this process; a stage that does not
     * run is its source of "off" (its panel says so).
     *
     * @param detections the straggler detector's episodes
     * @param control    the controller: its actions panel, mode switch and rollbacks
     * @param network    the network model: link colours by predicted load, each job's bottleneck, what would help
     * @param placement  what ranks places for a new job on the live cluster ({@code /api/place}); none: it answers
     *                   503
     */
    public record Boards(DetectionSource detections, ControlApi control, Source<NetworkBoard> network,
                         Optional<PlacementRanker> placement) {
        public Boards {
            Objects.requireNonNull(detections, "detections");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(placement, "placement");
        }

        /** No detector, controller, network model or placement engine. */
        public static Boards none() {
            return new Boards(DetectionSource.none(), ControlApi.none(), new Hub<>("network board", NetworkBoard.off()),
                    Optional.empty());
        }

        public Boards withDetections(DetectionSource detections) {
            return new Boards(detections, control, network, placement);
        }

        public Boards withControl(ControlApi control) {
            return new Boards(detections, control, network, placement);
        }

        public Boards withNetwork(Source<NetworkBoard> network) {
            return new Boards(detections, control, network, placement);
        }

        /** {@code /api/place} ranks places with {@code ranker}. */
        public Boards withPlacement(PlacementRanker ranker) {
            return new Boards(detections, control, network, Optional.of(ranker));
        }
    }

    /** A dashboard of the snapshots alone: its panels say the detector, controller and network model are off. */
    public DashboardServer(DashboardSettings settings, SnapshotSource source, PrometheusMeterRegistry registry) {
        this(settings, source, Boards.none(), registry, Clock.systemUTC());
    }

    public DashboardServer(DashboardSettings settings, SnapshotSource source, PrometheusMeterRegistry registry,
                           Clock clock) {
        this(settings, source, Boards.none(), registry, clock);
    }

    public DashboardServer(DashboardSettings settings, SnapshotSource source, Boards boards,
                           PrometheusMeterRegistry registry, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.source = Objects.requireNonNull(source, "source");
        this.detections = boards.detections();
        this.control = boards.control();
        this.network = boards.network();
        this.placement = boards.placement();
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws CoxswainException when the address cannot be bound (the message names the key to change)
     */
    public synchronized DashboardServer start() {
        if (vertx != null) {
            throw new IllegalStateException("dashboard already started");
        }
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        Context context = vertx.getOrCreateContext();
        requestMetrics = new RequestMetrics(registry);
        gauges = new SnapshotGauges(source, clock, registry);
        stream = new SseBroadcaster(vertx, context, source, List.of(
                new SseBroadcaster.Board<>("stragglers", detections, StragglerJson::board),
                new SseBroadcaster.Board<>("network", network, NetworkJson::board)),
                new StreamUpdates(settings.chartWindow(), clock), new PushPacer(clock, settings.pushInterval()),
                registry);
        router = router(context);
        try {
            server = await(onContext(context, () -> vertx.createHttpServer(new HttpServerOptions()
                            .setHost(settings.host())
                            .setPort(settings.port())
                            // gzip only: it flushes per event, so the stream stays live, and needs no native
                            // library (zstd-jni would be picked when it is on the classpath, via Kafka)
                            .setCompression(new CompressionConfig().setCompressionEnabled(true).addGzip()))
                    .requestHandler(router)
                    .listen()));
        } catch (CoxswainException e) {
            close();
            throw new CoxswainException("dashboard cannot listen on " + settings.host() + ":" + settings.port()
                    + " (" + e.getCause().getMessage() + "); choose another " + DashboardSettings.PORT + " or "
                    + DashboardSettings.HOST, e.getCause());
        }
        stream.start();
        log.info("dashboard listening on {}", uri());
        return this;
    }

    private Router router(Context context) {
        Router router = Router.router(vertx);
        ApiRoutes api = new ApiRoutes(source, detections, network, clock, stream::clientCount);
        auth = new BearerAuth(token(), api, clock, registry);
        if (readsNeedToken()) {
            // every read but the health check (probes) and /metrics (scrapers) needs the token; the page's
            // files and the API's description are open, so that they can ask for it
            router.route("/api/*").handler(ctx -> {
                String path = ctx.request().path();
                if (path.equals("/api/health") || PageAssets.describesTheApi(path)
                        || auth.check(ctx, "reads the cluster's state")) {
                    ctx.next();
                }
            });
        }
        api.mount(router, requestMetrics);
        new ControlRoutes(control, auth, api).mount(router, requestMetrics);
        new WhatIfRoutes(vertx, source, api, clock).mount(router, requestMetrics);
        new PlaceRoutes(vertx, source, placement, api).mount(router, requestMetrics);
        router.get("/api/stream").handler(requestMetrics.timed("/api/stream", stream::accept));
        router.get("/metrics").handler(requestMetrics.timed("/metrics", new MetricsEndpoint(vertx, registry)::handle));
        new PageAssets().mount(router, requestMetrics);
        api.mountFallbacks(router);
        return router;
    }

    /** The configured token, or one made now and printed once (it changes at every start). */
    private String token() {
        return settings.token().orElseGet(() -> {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String made = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("no {} is set: the dashboard's token for this run is {} (REST calls that change anything{}"
                    + " send it as Authorization: Bearer <token>)", DashboardSettings.TOKEN, made,
                    readsNeedToken() ? ", and reads," : "");
            return made;
        });
    }

    /** Whether reads need the token: {@code dashboard.read.auth}, {@code auto} meaning bound beyond loopback. */
    private boolean readsNeedToken() {
        return switch (settings.readAuth()) {
            case ALWAYS -> true;
            case OFF -> false;
            case AUTO -> !loopback(settings.host());
        };
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The routes the server answers, as {@code METHOD /path/{param}} (for the API's description and its tests);
     * the page's static files and the error fallbacks are not routes of the API.
     */
    public List<String> routes() {
        if (router == null) {
            throw new IllegalStateException("dashboard not started");
        }
        List<String> out = new ArrayList<>();
        for (io.vertx.ext.web.Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null) {
                continue;
            }
            String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
            r.methods().forEach(m -> out.add(m.name() + " " + path));
        }
        return out;
    }

    /** The bound port: the configured one, or the one the system chose for port 0. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("dashboard not started");
        }
        return server.actualPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        String host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    /** Browsers connected to the live stream now. */
    public int streamClients() {
        return stream == null ? 0 : stream.clientCount();
    }

    /** Ends the streams, closes the port and stops Vert.x; waits for that, at most a few seconds. */
    @Override
    public synchronized void close() {
        if (vertx == null) {
            return;
        }
        Context context = vertx.getOrCreateContext();
        try {
            if (stream != null) {
                await(onContext(context, () -> {
                    stream.close();
                    return Future.succeededFuture();
                }));
            }
            if (server != null) {
                await(server.close());
            }
        } catch (CoxswainException e) {
            log.warn("dashboard did not close cleanly", e);
        } finally {
            requestMetrics.close();
            gauges.close();
            if (auth != null) {
                auth.close();
            }
            vertx.close();
            vertx = null;
        }
    }

    private interface OnContext<T> {
        Future<T> run();
    }

    private static <T> Future<T> onContext(Context context, OnContext<T> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.run().onComplete(promise));
        return promise.future();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CoxswainException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CoxswainException("dashboard did not answer within " + START_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoxswainException("interrupted while waiting for the dashboard", e);
        }
    }
}
