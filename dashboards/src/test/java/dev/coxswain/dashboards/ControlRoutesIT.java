package dev.coxswain.dashboards;

import dev.coxswain.snapshot.SnapshotHub;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The controller's REST API on a real server: reading the board, and the two calls that change something, with and
 * without the bearer token. The controller behind it is a recording {@link ControlApi} (the controller's own
 * behaviour is tested in the controller module).
 */
class ControlRoutesIT {
    static final String TOKEN = "a-token-of-sixteen-plus";
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    final HttpClient http = HttpClient.newHttpClient();
    final RecordingControl control = new RecordingControl("j1", T0);
    DashboardServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        http.close();
    }

    void start(DashboardSettings settings) {
        server = new DashboardServer(settings.withPort(0), new SnapshotHub(),
                DashboardServer.Boards.none().withControl(control), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Clock.systemUTC()).start();
    }

    HttpResponse<String> send(String method, String path, String body, Optional<String> token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return http.send(b.header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsTheActionsWithTheirOutcomes() throws Exception {
        start(DashboardSettings.defaults());
        JsonObject board = new JsonObject(send("GET", "/api/actions", null, Optional.empty()).body());
        assertThat(board.getString("controller")).isEqualTo("on");
        assertThat(board.getString("mode")).isEqualTo("advise");
        assertThat(board.getJsonObject("jobModes").getString("j1")).isEqualTo("act");
        JsonObject a = board.getJsonArray("actions").getJsonObject(0);
        assertThat(a.getString("id")).isEqualTo("c1-1");
        assertThat(a.getString("status")).isEqualTo("verified");
        assertThat(a.getString("trigger")).isEqualTo("w3");
        assertThat(a.getDouble("measuredStepMs")).isEqualTo(60);
        assertThat(a.getJsonArray("settings").getJsonObject(0).getInteger("value")).isEqualTo(37);
        assertThat(a.getJsonArray("outcomes")).hasSize(2);
        assertThat(new JsonObject(send("GET", "/api/actions?job=other", null, Optional.empty()).body())
                .getJsonArray("actions")).isEmpty();
        assertThat(send("GET", "/api/actions/c1-1", null, Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/actions/nope", null, Optional.empty()).statusCode()).isEqualTo(404);
    }

    @Test
    void changesNeedTheConfiguredToken() throws Exception {
        start(DashboardSettings.defaults().withToken(TOKEN));
        HttpResponse<String> none = send("POST", "/api/jobs/j1/controller", "{\"mode\":\"off\"}", Optional.empty());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(send("POST", "/api/jobs/j1/controller", "{\"mode\":\"off\"}", Optional.of("wrong-token-wrong"))
                .statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/actions/c1-1/rollback", null, Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(control.calls).isEmpty();

        HttpResponse<String> ok = send("POST", "/api/jobs/j1/controller", "{\"mode\":\"off\"}", Optional.of(TOKEN));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getString("mode")).isEqualTo("off");
        assertThat(send("POST", "/api/actions/c1-1/rollback", null, Optional.of(TOKEN)).statusCode()).isEqualTo(202);
        HttpResponse<String> unknown = send("POST", "/api/actions/zz/rollback", null, Optional.of(TOKEN));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(unknown.body()).getString("message")).isEqualTo("no recent action zz");
        assertThat(control.calls).containsExactly("mode j1 off by rest", "rollback c1-1 by rest",
                "rollback zz by rest");
    }

    @Test
    void badBodiesAreRefusedNamingTheField() throws Exception {
        start(DashboardSettings.defaults().withToken(TOKEN));
        for (String body : List.of("{\"mode\":\"fast\"}", "{\"mode\":3}", "{}", "not json", "[1]")) {
            HttpResponse<String> r = send("POST", "/api/jobs/j1/controller", body, Optional.of(TOKEN));
            assertThat(r.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(new JsonObject(send("POST", "/api/jobs/j1/controller", "{\"mode\":\"fast\"}", Optional.of(TOKEN))
                .body()).getString("message")).contains("mode:", "'fast'");
        assertThat(send("POST", "/api/jobs/%20bad/controller", "{\"mode\":\"act\"}", Optional.of(TOKEN))
                .statusCode()).isEqualTo(400);
        String big = "{\"mode\":\"act\",\"pad\":\"" + "x".repeat(10_000) + "\"}";
        assertThat(send("POST", "/api/jobs/j1/controller", big, Optional.of(TOKEN)).statusCode()).isEqualTo(413);
        assertThat(control.calls).isEmpty();
    }

    @Test
    void withoutAConfiguredTokenAGeneratedOneIsNeededAndNoGuessIsAccepted() throws Exception {
        start(DashboardSettings.defaults());
        HttpResponse<String> r = send("POST", "/api/jobs/j1/controller", "{\"mode\":\"act\"}", Optional.of(TOKEN));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(r.body()).getString("message")).contains("not the dashboard's token");
        assertThat(control.calls).isEmpty();
    }

    @Test
    void onLoopbackReadsAreOpenUnlessToldOtherwise() throws Exception {
        start(DashboardSettings.defaults().withToken(TOKEN));
        assertThat(send("GET", "/api/actions", null, Optional.empty()).statusCode()).isEqualTo(200);
        server.close();
        start(DashboardSettings.defaults().withToken(TOKEN).withReadAuth(DashboardSettings.ReadAuth.ALWAYS));
        HttpResponse<String> refused = send("GET", "/api/actions", null, Optional.empty());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(new JsonObject(refused.body()).getString("message")).contains("reads the cluster's state");
        assertThat(send("GET", "/api/actions", null, Optional.of(TOKEN)).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/jobs?access_token=" + TOKEN, null, Optional.empty()).statusCode())
                .as("the token as a query parameter, for the page's event stream").isEqualTo(200);
        assertThat(send("GET", "/api/health", null, Optional.empty()).statusCode()).as("probes").isEqualTo(200);
        assertThat(send("GET", "/metrics", null, Optional.empty()).statusCode()).as("scrapers").isEqualTo(200);
        assertThat(send("GET", "/", null, Optional.empty()).statusCode()).as("the page, to ask for the token")
                .isEqualTo(200);
        assertThat(send("GET", "/js/auth.js", null, Optional.empty()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/docs", null, Optional.empty()).statusCode()).as("Swagger UI, to authorize")
                .isEqualTo(200);
        assertThat(send("GET", "/api/openapi.json", null, Optional.empty()).statusCode()).isEqualTo(200);
    }

    @Test
    void failedTokensAreCountedAndAnAddressThatKeepsFailingIsHeldOff() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = new DashboardServer(DashboardSettings.defaults().withToken(TOKEN).withPort(0), new SnapshotHub(),
                DashboardServer.Boards.none().withControl(control), registry, Clock.systemUTC()).start();
        for (int i = 0; i < 10; i++) {
            assertThat(send("POST", "/api/actions/c1-1/rollback", "{}", Optional.of("wrong-token-" + i + "-xxxxxx"))
                    .statusCode()).isEqualTo(401);
        }
        HttpResponse<String> held = send("POST", "/api/actions/c1-1/rollback", "{}", Optional.of(TOKEN));
        assertThat(held.statusCode()).as("even the right token, within the minute").isEqualTo(429);
        assertThat(held.headers().firstValue("Retry-After")).isPresent();
        send("POST", "/api/actions/c1-1/rollback", "{}", Optional.empty());
        assertThat(registry.get("coxswain.dashboard.auth.failures").tag("reason", "wrong").counter().count())
                .isEqualTo(10);
        assertThat(registry.get("coxswain.dashboard.auth.failures").tag("reason", "rate_limited").counter().count())
                .isEqualTo(2);
        assertThat(control.calls).isEmpty();
    }

    @Test
    void tooShortATokenIsAConfigurationError() {
        assertThatThrownBy(() -> DashboardSettings.defaults().withToken("short"))
                .hasMessageContaining("dashboard.token");
    }

    @Test
    void aPersonCanAskForAKnobChangeWithTheToken() throws Exception {
        start(DashboardSettings.defaults().withToken(TOKEN));
        String body = "{\"worker\":\"w3\",\"knobs\":{\"batch_size\":64},\"reason\":\"w3 is fixed\"}";
        assertThat(send("POST", "/api/jobs/j1/knobs", body, Optional.empty()).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/jobs/j1/knobs", body, Optional.of(TOKEN)).statusCode()).isEqualTo(202);
        assertThat(send("POST", "/api/jobs/j1/knobs", "{\"knobs\":{\"staleness\":2}}", Optional.of(TOKEN))
                .statusCode()).isEqualTo(202);
        HttpResponse<String> elsewhere = send("POST", "/api/jobs/j9/knobs", body, Optional.of(TOKEN));
        assertThat(elsewhere.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(elsewhere.body()).getString("message")).contains("not run by this controller");
        assertThat(control.calls).containsExactly("manual j1 [w3.batch_size=64] (w3 is fixed) by rest",
                "manual j1 [staleness=2] (asked through the REST API) by rest",
                "manual j9 [w3.batch_size=64] (w3 is fixed) by rest");

        control.calls.clear();
        Map<String, String> bad = Map.of(
                "{\"knobs\":{\"batch_size\":0}}", "knobs.batch_size: 0 is outside [1, 16777216]",
                "{\"knobs\":{\"batchsize\":4}}", "knobs.batchsize: unknown knob",
                "{\"worker\":\"w1\",\"knobs\":{\"staleness\":2}}", "knobs.staleness: is set for the whole job",
                "{\"knobs\":{}}", "knobs: expected an object",
                "{\"worker\":7,\"knobs\":{\"batch_size\":4}}", "worker: expected a worker id",
                "{\"knobs\":{\"staleness\":2},\"reason\":\"fine\\u001b[2J\"}",
                "reason: contains the control character U+001B at index 4");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<String> r = send("POST", "/api/jobs/j1/knobs", e.getKey(), Optional.of(TOKEN));
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("message")).as(e.getKey()).contains(e.getValue());
        }
        assertThat(control.calls).isEmpty();
    }

    /**
     * The bad-input drill at the REST API: 10,000 requests for knob changes, each with one knob broken (out of its
     * range, of the wrong type, not a choice it has, or not a knob), are each refused with 400 naming the knob, and
     * none reaches the controller.
     */
    @Test
    void tenThousandBrokenKnobChangesAreRefusedNamingTheKnob() throws Exception {
        start(DashboardSettings.defaults().withToken(TOKEN));
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        List<String> knobs = List.of("batch_size", "global_batch_size", "learning_rate", "lr_scaling", "staleness",
                "sync_mode", "no_such_knob");
        for (int i = 0; i < 10_000; i++) {
            String knob = knobs.get(random.nextInt(knobs.size()));
            Object value = switch (random.nextInt(4)) {
                case 0 -> -1 - random.nextInt(1000);
                case 1 -> 1e12;
                case 2 -> "fast";
                default -> new io.vertx.core.json.JsonArray().add(1);
            };
            JsonObject body = new JsonObject().put("knobs", new JsonObject().put(knob, value));
            if (knob.equals("batch_size")) {
                body.put("worker", "w1");
            }
            String encoded = body.encode();
            HttpResponse<String> r = send("POST", "/api/jobs/j1/knobs", encoded, Optional.of(TOKEN));
            assertThat(r.statusCode()).as(encoded + " -> " + r.body()).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("message")).as(encoded).contains("knobs." + knob);
        }
        assertThat(control.calls).isEmpty();
    }
}
