package dev.coxswain.dashboards.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the shared registry in the Prometheus text format (0.0.4), or OpenMetrics when the scraper
 * asks for it. Scraping walks every meter, so it runs on a worker thread, not the event loop.
 */
public final class MetricsEndpoint {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(Vertx vertx, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    public void handle(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        vertx.executeBlocking(() -> registry.scrape(contentType)).onComplete(result -> {
            if (result.succeeded()) {
                ctx.response().putHeader("Content-Type", contentType).putHeader("Cache-Control", "no-store")
                        .end(result.result());
            } else {
                log.error("metrics scrape failed", result.cause());
                ctx.fail(result.cause());
            }
        });
    }
}
