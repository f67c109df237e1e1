package dev.coxswain.agent.intake;

import dev.coxswain.agent.publish.BufferedPublisher;
import dev.coxswain.agent.publish.Journal;
import dev.coxswain.agent.publish.FakeSink;
import dev.coxswain.agent.publish.Sender;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The intake over real HTTP on a free loopback port, publishing into a fake sink. */
class IntakeServerIT {
    private final MutableClock clock = MutableClock.atFixedStart();
    private final FakeSink sink = new FakeSink();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private BufferedPublisher publisher;
    private IntakeServer server;
    private String base;

    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        publisher = new BufferedPublisher(1000, sink, Journal.none(), Sender.Options.defaults(), clock);
        publisher.start();
        server = new IntakeServer(vertx, new IntakeServer.Options("127.0.0.1", 0, "node-a"), publisher,
                new KnobStore(), registry, clock);
        base = "http://127.0.0.1:" + server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close();
        publisher.close();
    }

    private Reply post(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private Reply get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private CompletableFuture<Reply> getAsync(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    private List<Telemetry> delivered(int n) {
        Await.until(n + " records delivered", () -> sink.delivered().size() >= n);
        return sink.delivered();
    }

    private static String report(String extra) {
        return "{\"job\": \"mnist-1\", \"worker\": \"w0\", \"step\": 120, \"timestamp_ms\": 1735689600000,"
                + " \"step_time_ms\": 81.5, \"compute_ms\": 60.1, \"comm_ms\": 15.2, \"wait_ms\": 4.0,"
                + " \"samples\": 64, \"batch_size\": 64" + extra + "}";
    }

    @Test
    void acceptsValidReportsAndRejectsBadOnesByIndexNamingTheField() throws Exception {
        String body = "{\"reports\": [" + report(", \"loss\": 0.41, \"grad_sq_norm\": 2.3, \"grad_variance\": 11.8")
                + ", " + report("").replace("81.5", "\"fast\"")
                + ", " + report("").replace("60.1", "-1")
                + ", " + report(", \"grad_sq_norm\": 2.3")
                + ", " + report(", \"data_ms\": 2.2")
                + ", " + report(", \"data_ms\": 30") + "]}";
        Reply reply = post("/v1/steps", body);
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().getInteger("accepted")).isEqualTo(2);
        JsonArray rejected = reply.json().getJsonArray("rejected");
        assertThat(rejected.stream().map(o -> ((JsonObject) o).getString("error")).toList()).containsExactly(
                "reports[1].step_time_ms: expected a number, got the string \"fast\"",
                "StepReport.computeMs: -1.0 is negative",
                "reports[3].grad_variance: missing (grad_sq_norm and grad_variance come together or not at all)",
                "StepReport.computeMs: compute + comm + wait + data = 109.3 ms exceeds stepTimeMs 81.5");
        assertThat(rejected.stream().map(o -> ((JsonObject) o).getInteger("index")).toList())
                .containsExactly(1, 2, 3, 5);
        List<Telemetry> both = delivered(2);
        StepReport r = (StepReport) both.getFirst();
        assertThat(r.dataMs()).as("not measured").isEmpty();
        assertThat(((StepReport) both.get(1)).dataMs()).hasValue(2.2);
        assertThat(r.jobId()).isEqualTo("mnist-1");
        assertThat(r.timestamp()).isEqualTo(Instant.ofEpochMilli(1735689600000L));
        assertThat(r.loss()).hasValue(0.41);
        assertThat(r.gradient()).contains(new StepReport.GradientStats(2.3, 11.8));
        assertThat(registry.get("coxswain.agent.rejected").tag("endpoint", "steps").counter().count())
                .isEqualTo(4);
    }

    @Test
    void aReportFromMoreThanADayAheadOfTheAgentsClockIsRefusedNamingTheField() throws Exception {
        long ahead = clock.instant().plus(Duration.ofDays(2)).toEpochMilli();
        Reply reply = post("/v1/steps", "{\"reports\": [" + report("").replace("1735689600000", Long.toString(ahead))
                + "]}");
        assertThat(reply.json().getInteger("accepted")).isZero();
        assertThat(reply.json().getJsonArray("rejected").getJsonObject(0).getString("error"))
                .startsWith("reports[0].timestamp_ms:").contains("more than a day ahead");
    }

    @Test
    void takesTheBodyAsJsonWhateverTheContentTypeSays() throws Exception {
        StringBuilder many = new StringBuilder("{\"reports\": [");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ",").append(report(""));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/steps"))
                .POST(HttpRequest.BodyPublishers.ofString(many + "]}"))
                .header("content-type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString()); // what curl -d sends
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(r.body()).getInteger("accepted")).isEqualTo(100);
    }

    @Test
    void refusesABodyLargerThanTheLimit() throws Exception {
        byte[] big = new byte[(int) IntakeServer.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        // A client sending a large body asks first (Expect: 100-continue) and gets the refusal before sending it.
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/steps")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("connection")).hasValue("close");
    }

    @Test
    void aReportWithoutTimestampGetsTheAgentsClock() throws Exception {
        Reply reply = post("/v1/steps", "{\"reports\": [" + report("").replace("\"timestamp_ms\": 1735689600000,",
                "") + "]}");
        assertThat(reply.json().getInteger("accepted")).isEqualTo(1);
        assertThat(delivered(1).getFirst().timestamp()).isEqualTo(clock.instant());
    }

    @Test
    void answers400ForABodyThatIsNotAJsonObjectWithReports() throws Exception {
        assertThat(post("/v1/steps", "{\"reports\": [").status()).isEqualTo(400);
        assertThat(post("/v1/steps", "{\"reports\": [").json().getString("error")).startsWith("body: not a JSON");
        assertThat(post("/v1/steps", "[1, 2]").status()).isEqualTo(400);
        assertThat(post("/v1/steps", "").json().getString("error")).isEqualTo(
                "body: empty; expected a JSON object");
        assertThat(post("/v1/steps", "{}").json().getString("error")).isEqualTo("reports: missing");
        assertThat(post("/v1/steps", "{\"reports\": {}}").json().getString("error"))
                .isEqualTo("reports: expected a JSON array, got a JSON object");
        assertThat(post("/v1/steps", "{\"reports\": [3]}").json().getJsonArray("rejected").getJsonObject(0)
                .getString("error")).isEqualTo("reports[0]: expected a JSON object, got 3");
    }

    @Test
    void refusesMoreThanTenThousandReportsInOneRequest() throws Exception {
        String many = "{\"reports\": [" + String.join(",", java.util.Collections.nCopies(10_001, "{}")) + "]}";
        Reply reply = post("/v1/steps", many);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().getString("error")).isEqualTo("reports: 10001 entries, at most 10000 per request");
    }

    @Test
    void membershipFillsInNodeGpuAndRoleDefaults() throws Exception {
        Reply reply = post("/v1/jobs", "{\"job\": \"mnist-1\", \"pattern\": \"PARAMETER_SERVER\", "
                + "\"gradient_bytes\": 431080, \"members\": [{\"worker\": \"ps0\", \"role\": \"PARAMETER_SERVER\"},"
                + " {\"worker\": \"w0\", \"node\": \"node-b\", \"gpu\": 0}]}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body()).isEqualTo("{}");
        JobMembership m = (JobMembership) delivered(1).getFirst();
        assertThat(m.members()).containsExactly(
                new JobMembership.Member("ps0", "node-a", -1, JobMembership.Role.PARAMETER_SERVER),
                new JobMembership.Member("w0", "node-b", 0, JobMembership.Role.WORKER));
        assertThat(m.gradientBytes()).isEqualTo(431080);
    }

    @Test
    void knobsForAWorkerTheJobsMembershipDoesNotNameAreRefused() throws Exception {
        assertThat(post("/v1/knobs/ddp", "{\"worker\": \"w7\", \"knobs\": {\"batch_size\": 8}}").status())
                .as("no membership known here yet: accepted").isEqualTo(200);
        assertThat(post("/v1/jobs", "{\"job\": \"ddp\", \"pattern\": \"RING_ALLREDUCE\", \"members\": "
                + "[{\"worker\": \"w0\"}, {\"worker\": \"w1\"}]}").status()).isEqualTo(202);
        Reply refused = post("/v1/knobs/ddp", "{\"worker\": \"w7\", \"knobs\": {\"batch_size\": 8}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("error"))
                .isEqualTo("worker: w7 is not a worker of job ddp (its membership names [w0, w1])");
        assertThat(post("/v1/knobs/ddp", "{\"worker\": \"w1\", \"knobs\": {\"batch_size\": 8}}").status())
                .isEqualTo(200);
        assertThat(post("/v1/knobs/ddp", "{\"knobs\": {\"staleness\": 1}}").status()).as("job-wide")
                .isEqualTo(200);
    }

    @Test
    void membershipErrorsNameTheField() throws Exception {
        assertThat(post("/v1/jobs", "{\"job\": \"j\", \"pattern\": \"STAR\", \"members\": [{\"worker\": \"w\"}]}")
                .json().getString("error"))
                .isEqualTo("pattern: 'STAR' is not one of RING_ALLREDUCE, TREE_ALLREDUCE, PARAMETER_SERVER,"
                        + " HIERARCHICAL_ALLREDUCE");
        assertThat(post("/v1/jobs", "{\"job\": \"j\", \"pattern\": \"RING_ALLREDUCE\", \"members\": "
                + "[{\"worker\": \"w\", \"gpu\": \"zero\"}]}").json().getString("error"))
                .isEqualTo("members[0].gpu: expected an integer, got the string \"zero\"");
        Reply noServer = post("/v1/jobs", "{\"job\": \"j\", \"pattern\": \"PARAMETER_SERVER\", \"members\": "
                + "[{\"worker\": \"w\"}]}");
        assertThat(noServer.status()).isEqualTo(400);
        assertThat(noServer.json().getString("error")).startsWith("JobMembership.members:");
    }

    @Test
    void eventsKeepTheirAttributesAsStrings() throws Exception {
        Reply reply = post("/v1/events", "{\"events\": [{\"job\": \"mnist-1\", \"worker\": \"w2\", "
                + "\"timestamp_ms\": 1735689600000, \"kind\": \"injection.start\", "
                + "\"attributes\": {\"fault\": \"slowdown\", \"factor\": 2.0}}, {\"job\": \"mnist-1\", "
                + "\"kind\": \"bad kind\"}]}");
        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.json().getInteger("accepted")).isEqualTo(1);
        assertThat(reply.json().getJsonArray("rejected").getJsonObject(0).getString("error"))
                .startsWith("events[1].kind: 'bad kind' is not an identifier");
        JobEvent e = (JobEvent) delivered(1).getFirst();
        assertThat(e.attributes()).containsEntry("fault", "slowdown").containsEntry("factor", "2.0");
        assertThat(e.workerId()).contains("w2");
    }

    @Test
    void knobsAreSetWithVersionsAndReadMerged() throws Exception {
        assertThat(post("/v1/knobs/mnist-1", "{\"knobs\": {\"batch_size\": 32, \"sync_mode\": \"ssp\"}}").json()
                .getLong("version")).isEqualTo(1);
        assertThat(post("/v1/knobs/mnist-1", "{\"worker\": \"w1\", \"knobs\": {\"batch_size\": 16}}").json()
                .getLong("version")).isEqualTo(2);
        Reply w1 = get("/v1/knobs/mnist-1/w1");
        assertThat(w1.status()).isEqualTo(200);
        assertThat(w1.json()).isEqualTo(new JsonObject(
                "{\"version\": 2, \"knobs\": {\"batch_size\": 16, \"sync_mode\": \"ssp\"}}"));
        assertThat(get("/v1/knobs/mnist-1/w0").json().getJsonObject("knobs").getInteger("batch_size"))
                .isEqualTo(32);
    }

    @Test
    void badKnobRequestsAre400NamingTheFieldAndChangeNothing() throws Exception {
        post("/v1/knobs/j", "{\"knobs\": {\"batch_size\": 32}}");
        Reply bad = post("/v1/knobs/j", "{\"knobs\": {\"batch_size\": 64, \"learning_rate\": 0}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("error"))
                .isEqualTo("knobs.learning_rate: 0 is not a finite number in (0, 1000000]");
        assertThat(post("/v1/knobs/j", "{\"wroker\": \"w1\", \"knobs\": {}}").json().getString("error"))
                .isEqualTo("wroker: unknown field (expected knobs, worker)");
        assertThat(post("/v1/knobs/j", "{\"worker\": \"w1\"}").json().getString("error"))
                .isEqualTo("knobs: missing");
        assertThat(get("/v1/knobs/j/w0").json()).isEqualTo(new JsonObject(
                "{\"version\": 1, \"knobs\": {\"batch_size\": 32}}"));
        assertThat(get("/v1/knobs/j/w0?wait_ms=70000").json().getString("error"))
                .isEqualTo("wait_ms: 70000 is outside 0..60000");
        assertThat(get("/v1/knobs/j/w0?after=x").json().getString("error"))
                .isEqualTo("after: expected an integer, got 'x'");
    }

    @Test
    void longPollAnswersAsSoonAsTheVersionPassesAfter() throws Exception {
        post("/v1/knobs/j", "{\"knobs\": {\"batch_size\": 32}}");
        // The poll would wait 60 s for nothing: answering within the polling deadline means the change woke it.
        CompletableFuture<Reply> waiting = getAsync("/v1/knobs/j/w0?after=1&wait_ms=60000");
        assertThat(waiting).as("nothing past version 1 yet").isNotDone();
        post("/v1/knobs/j", "{\"worker\": \"w0\", \"knobs\": {\"staleness\": 2}}");
        Await.until("the long poll to answer the change", Duration.ofSeconds(30), waiting::isDone);
        Reply reply = waiting.get();
        assertThat(reply.json()).isEqualTo(new JsonObject(
                "{\"version\": 2, \"knobs\": {\"batch_size\": 32, \"staleness\": 2}}"));
    }

    @Test
    void longPollAnswers204WhenNothingChangesInTime() throws Exception {
        Reply reply = get("/v1/knobs/j/w0?after=0&wait_ms=100");
        assertThat(reply.status()).isEqualTo(204);
        assertThat(get("/v1/knobs/j/w0?after=0&wait_ms=0").status()).isEqualTo(204);
        assertThat(get("/v1/knobs/j/w0").json()).isEqualTo(new JsonObject("{\"version\": 0, \"knobs\": {}}"));
    }

    @Test
    void healthReportsNodeBufferAndKafkaState() throws Exception {
        post("/v1/steps", "{\"reports\": [" + report("") + "]}");
        delivered(1);
        JsonObject health = get("/v1/health").json();
        assertThat(health.getString("node")).isEqualTo("node-a");
        assertThat(health.getInteger("buffered")).isZero();
        assertThat(health.getLong("dropped")).isZero();
        assertThat(health.getString("kafka")).isEqualTo("up");
        assertThat(health.getLong("sent")).isEqualTo(1);
    }

    @Test
    void unknownEndpointsAndMethodsGetJsonErrors() throws Exception {
        Reply missing = get("/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().getString("error")).isEqualTo("no such endpoint: /v1/nothing");
        Reply wrongMethod = get("/v1/steps");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().getString("error")).contains("GET is not allowed");
    }
}
