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
 * {@code /dashboard.js}, {@code /favicon.svg}. The HTML carries a Content-Security-Policy that allows only this
 * origin.
 */
public final class PageAssets {
    private static final String BASE = "/dev/coxswain/dashboards/webroot/";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** One file of the page. */
    record Asset(Buffer body, String contentType, String etag) {
    }

    private final Map<String, Asset> assets;

    public PageAssets() {
        assets = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
                "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
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
            response.putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "no-referrer");
        }
        if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", asset.contentType()).end(asset.body());
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = PageAssets.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException("page resource " + BASE + name + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return new Asset(Buffer.buffer(bytes), contentType, etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page resource " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
