package dev.coxswain.dashboards.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The page's static files, read once from the jar into memory and served with an ETag, so that nothing is unpacked
 * to disk and nothing is fetched from elsewhere: {@code /} (index.html), {@code /dashboard.css},
 * {@code /dashboard.js}, {@code /favicon.svg}; and the API's description: {@code /api/openapi.json} (OpenAPI 3.1)
 * and {@code /api/docs}, Swagger UI over it (from the {@code org.webjars:swagger-ui} jar). The HTML carries a
 * Content-Security-Policy that allows only this origin (Swagger UI also needs inline styles).
 */
public final class PageAssets {
    private static final String BASE = "/dev/coxswain/dashboards/webroot/";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    /** The routes of the API's description and its UI, which are not part of the API they describe. */
    public static final String DOCS = "/api/docs";

    /** One file of the page; {@code csp} for HTML. */
    record Asset(Buffer body, String contentType, String etag, String csp) {
    }

    private final Map<String, Asset> assets;

    public PageAssets() {
        String swaggerUi = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion("swagger-ui") + "/";
        assets = Map.of(
                "/", load(BASE + "index.html", "text/html; charset=utf-8", CSP),
                "/dashboard.css", load(BASE + "dashboard.css", "text/css; charset=utf-8", CSP),
                "/dashboard.js", load(BASE + "dashboard.js", "text/javascript; charset=utf-8", CSP),
                "/favicon.svg", load(BASE + "favicon.svg", "image/svg+xml", CSP),
                "/api/openapi.json", load(BASE + "openapi.json", "application/json", CSP),
                DOCS, load(BASE + "api-docs.html", "text/html; charset=utf-8", DOCS_CSP),
                DOCS + "/api-docs.js", load(BASE + "api-docs.js", "text/javascript; charset=utf-8", CSP),
                DOCS + "/swagger-ui.css", load(swaggerUi + "swagger-ui.css", "text/css; charset=utf-8", CSP),
                DOCS + "/swagger-ui-bundle.js", load(swaggerUi + "swagger-ui-bundle.js",
                        "text/javascript; charset=utf-8", CSP));
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

    /** The version of a WebJar on the classpath, from its Maven properties. */
    private static String webjarVersion(String artifact) {
        String path = "/META-INF/maven/org.webjars/" + artifact + "/pom.properties";
        try (InputStream in = PageAssets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is missing from the classpath (" + path + ")");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static Asset load(String name, String contentType, String csp) {
        try (InputStream in = PageAssets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("page resource " + name + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return new Asset(Buffer.buffer(bytes), contentType, etag, csp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page resource " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
