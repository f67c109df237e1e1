package dev.coxswain.dashboards.http;

import dev.coxswain.core.WebJar;
import dev.coxswain.whatif.scenario.HtmlReport;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The page's static files, read once from the jar into memory and served with an ETag, so that nothing is unpacked
 * to disk and nothing is fetched from elsewhere: {@code /} (index.html) and its ES modules under {@code /js/},
 * {@code /whatif} (the what-if page, with the what-if chart module that {@code whatif run}'s report inlines), {@code /dashboard.css}, {@code /favicon.svg}; the chart libraries from their
 * WebJars under {@code /vendor/} (uPlot for the time series, Apache ECharts for the cluster view and the what-if
 * bars); and the API's description: {@code /api/openapi.json} (OpenAPI 3.1) and {@code /api/docs}, Swagger UI over
 * it. The HTML carries a Content-Security-Policy that allows only this origin (Swagger UI also needs inline
 * styles).
 */
public final class PageAssets {
    private static final String BASE = "/dev/coxswain/dashboards/webroot/";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    /** The page's own ES modules, under {@code /js/}. */
    private static final List<String> MODULES = List.of("dashboard.js", "format.js", "state.js", "graph.js",
            "jobs.js", "stragglers.js", "actions.js", "stream.js", "whatif-page.js", "auth.js");
    /** The routes of the API's description and its UI, which are not part of the API they describe. */
    public static final String DOCS = "/api/docs";
    /** The API's description in OpenAPI 3.1. */
    public static final String SPEC = "/api/openapi.json";

    /** Whether {@code path} is the API's description or its UI: files of the page, not calls of the API. */
    public static boolean describesTheApi(String path) {
        return path.equals(SPEC) || path.equals(DOCS) || path.startsWith(DOCS + "/");
    }

    /** The what-if page. */
    public static final String WHATIF_PAGE = "/whatif";

    /** One file of the page; {@code csp} for HTML. */
    record Asset(Buffer body, String contentType, String etag, String csp) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public PageAssets() {
        assets.put("/", asset(load(BASE + "index.html"), HTML, CSP));
        assets.put(WHATIF_PAGE, asset(load(BASE + "whatif.html"), HTML, CSP));
        assets.put("/dashboard.css", asset(load(BASE + "dashboard.css"), CSS, CSP));
        assets.put("/favicon.svg", asset(load(BASE + "favicon.svg"), "image/svg+xml", CSP));
        for (String module : MODULES) {
            assets.put("/js/" + module, asset(load(BASE + "js/" + module), JS, CSP));
        }
        assets.put("/js/whatif-chart.js", asset(load(HtmlReport.CHART_MODULE), JS, CSP));
        assets.put("/vendor/uPlot.esm.js", asset(WebJar.UPLOT.read("dist/uPlot.esm.js"), JS, CSP));
        assets.put("/vendor/uPlot.min.css", asset(WebJar.UPLOT.read("dist/uPlot.min.css"), CSS, CSP));
        assets.put("/vendor/echarts.esm.min.js", asset(WebJar.ECHARTS.read("dist/echarts.esm.min.js"), JS, CSP));
        assets.put(SPEC, asset(load(BASE + "openapi.json"), "application/json", CSP));
        assets.put(DOCS, asset(load(BASE + "api-docs.html"), HTML, DOCS_CSP));
        assets.put(DOCS + "/api-docs.js", asset(load(BASE + "api-docs.js"), JS, CSP));
        assets.put(DOCS + "/swagger-ui.css", asset(WebJar.SWAGGER_UI.read("swagger-ui.css"), CSS, CSP));
        assets.put(DOCS + "/swagger-ui-bundle.js", asset(WebJar.SWAGGER_UI.read("swagger-ui-bundle.js"), JS, CSP));
    }

    public void mount(Router router, RequestMetrics metrics) {
        assets.forEach((path, asset) -> router.get(path).handler(metrics.timed("static", ctx -> serve(ctx, asset))));
        router.get("/index.html").handler(ctx -> ctx.redirect("/"));
    }

    private static void serve(RoutingContext ctx, Asset asset) {
        var response = ctx.response()
                .putHeader("ETag", asset.etag())
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff");
        if (asset.contentType().startsWith("text/html")) {
            response.putHeader("Content-Security-Policy", asset.csp()).putHeader("Referrer-Policy", "no-referrer");
        }
        if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", asset.contentType()).end(asset.body());
    }

    private static byte[] load(String name) {
        try (InputStream in = PageAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("page resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page resource " + name, e);
        }
    }

    private static Asset asset(byte[] bytes, String contentType, String csp) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return new Asset(Buffer.buffer(bytes), contentType, etag, csp);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
