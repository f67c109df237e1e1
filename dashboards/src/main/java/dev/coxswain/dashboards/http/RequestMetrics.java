package dev.coxswain.dashboards.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Times the dashboard's HTTP requests as {@code coxswain.dashboard.http.requests}, tagged with the route's template
 * (never the raw path, to keep cardinality bounded) and the status code. The stream is counted when it ends.
 */
public final class RequestMetrics implements AutoCloseable {
    static final String NAME = "coxswain.dashboard.http.requests";

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code handler}, timed under {@code route}. */
    public Handler<RoutingContext> timed(String route, Handler<RoutingContext> handler) {
        return ctx -> {
            Timer.Sample sample = Timer.start(registry);
            ctx.addEndHandler(done -> sample.stop(Timer.builder(NAME)
                    .description("HTTP requests served by the dashboard")
                    .tag("route", route)
                    .tag("status", Integer.toString(ctx.response().getStatusCode()))
                    .register(registry)));
            handler.handle(ctx);
        };
    }

    /** Removes this component's meters from the shared registry. */
    @Override
    public void close() {
        registry.find(NAME).meters().forEach(registry::remove);
    }
}
