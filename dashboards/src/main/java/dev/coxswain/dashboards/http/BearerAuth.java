package dev.coxswain.dashboards.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's bearer token check: {@code Authorization: Bearer <token>} (or {@code ?access_token=} where a
 * browser cannot send a header: the live stream). Tokens are compared in constant time. Failures are counted
 * ({@code coxswain.dashboard.auth.failures}, by reason) and rate-limited per client address: after
 * {@value #MAX_FAILURES} in a minute, that address gets 429 until the minute is over, right token or not. Used on the
 * event loop only.
 */
public final class BearerAuth {
    static final int MAX_FAILURES = 10;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses remembered at once; the oldest are forgotten first. */
    private static final int MAX_ADDRESSES = 10_000;

    private final byte[] token;
    private final ApiRoutes api;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter missing;
    private final Counter wrong;
    private final Counter limited;
    private final Map<String, long[]> failures = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public BearerAuth(String token, ApiRoutes api, Clock clock, MeterRegistry registry) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.api = api;
        this.clock = clock;
        this.registry = registry;
        this.missing = failures(registry, "missing");
        this.wrong = failures(registry, "wrong");
        this.limited = failures(registry, "rate_limited");
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("coxswain.dashboard.auth.failures")
                .description("Requests refused for a missing or wrong bearer token, or for too many of those")
                .tag("reason", reason).register(registry);
    }

    /**
     * Whether the request carries the token; if not, answers 401 (or 429 for an address over its failures) and
     * returns false.
     *
     * @param what what the request would do, for the error message ("changes the controller")
     */
    public boolean check(RoutingContext ctx, String what) {
        String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        long now = clock.millis();
        long[] seen = failures.get(address);
        if (seen != null && now - seen[0] >= WINDOW.toMillis()) {
            failures.remove(address);
            seen = null;
        }
        if (seen != null && seen[1] >= MAX_FAILURES) {
            limited.increment();
            ctx.response().putHeader("Retry-After", Long.toString(
                    Math.max(1, (seen[0] + WINDOW.toMillis() - now + 999) / 1000)));
            ApiRoutes.send(ctx, 429, api.error("too_many_requests", MAX_FAILURES + " failed tokens from "
                    + address + " within a minute; wait"));
            return false;
        }
        String header = ctx.request().getHeader("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim()
                : ctx.queryParams().get("access_token");
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
            return true;
        }
        (given == null ? missing : wrong).increment();
        long[] count = failures.computeIfAbsent(address, a -> new long[]{now, 0});
        count[1]++;
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ApiRoutes.send(ctx, 401, api.error("unauthorized", given == null
                ? "this call " + what + ": send Authorization: Bearer <dashboard.token>"
                : "the bearer token is not the dashboard's token"));
        return false;
    }

    /** Removes its meters from the registry. */
    public void close() {
        registry.remove(missing);
        registry.remove(wrong);
        registry.remove(limited);
    }
}
