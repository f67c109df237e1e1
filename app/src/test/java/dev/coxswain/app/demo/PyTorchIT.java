package dev.coxswain.app.demo;

import dev.coxswain.app.Checkout;
import dev.coxswain.app.config.Settings;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real PyTorch DDP job (examples/pytorch, four gloo ranks under torch.distributed.run) steered through the whole
 * daemon, as {@code coxswain demo --job pytorch} runs it: the detector finds the slowed rank and names its cause, the
 * controller's rebalance reaches every rank (the action is applied only once all four report knob.applied with its
 * id, each from the same step), a knob the job cannot honour is refused and training goes on, and the job reaches its
 * accuracy target. Also runs coxswain_torch's own tests (a real two-rank gloo group). Needs Debian's python3-torch,
 * which ./test installs.
 */
class PyTorchIT {
    /** Generous: four Python ranks, a JVM broker, collector, detector and controller share two cores. */
    private static final Duration DEADLINE = Duration.ofSeconds(240);
    private static final Pattern ACCURACY = Pattern.compile("test accuracy (0\\.\\d+)");

    @TempDir
    Path dir;

    private static String python() {
        return PyTorchJob.python().orElseGet(() -> fail("PyTorch is not importable by /usr/bin/python3 or the "
                + "PATH's python3: install Debian's python3-torch (./test does)"));
    }

    @Test
    void coxswainTorchPassesItsOwnTestsOnARealProcessGroup() throws Exception {
        Path sdk = Checkout.root("sdk/python").resolve("sdk/python");
        Path out = dir.resolve("coxswain-torch-tests.log");
        Process run = new ProcessBuilder(python(), "-m", "unittest", "-v", "test_coxswain_torch")
                .directory(sdk.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(run.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(Files.readString(out)).isZero();
    }

    @Test
    void theDaemonFindsSteersAndVerifiesARealDdpJob() throws Exception {
        python();
        Settings settings = Settings.load(null, Map.of("kafka.embedded.dir", dir.resolve("kafka").toString(),
                "dashboard.port", "0", "agent.intake.port", "0", "collector.snapshot.interval", "200ms",
                "detector.model", dir.resolve("no.model").toString()));
        Map<String, String> workDir = Map.of("trainer.work.dir", dir.resolve("pytorch").toString());
        try (Demo demo = Demo.start(settings, Demo.Job.PYTORCH, Duration.ofSeconds(10), workDir,
                Clock.systemUTC())) {
            String job = demo.jobId();
            Path log = Demo.pyTorchLog(settings, workDir, job);

            JsonObject w3 = Await.value("the detector to find w3", DEADLINE, () -> straggler(demo, "w3"));
            assertThat(w3.getString("cause")).isEqualTo("imbalance");
            assertThat(w3.getDouble("slowdown")).isGreaterThan(1.4);

            ActionBoard.Entry rebalance = Await.value("the controller's rebalance to be judged", DEADLINE,
                    () -> demo.control().latest().entries().stream()
                            .filter(e -> e.action().job().equals(job) && e.action().policy().equals("rebalance"))
                            .filter(e -> e.latest().map(o -> o.status() == ActionOutcome.Status.VERIFIED
                                    || o.status() == ActionOutcome.Status.ROLLED_BACK).orElse(false))
                            .findFirst());
            assertThat(rebalance.action().trigger()).contains("w3");
            assertThat(rebalance.outcomes()).extracting(ActionOutcome::status)
                    .contains(ActionOutcome.Status.APPLIED, ActionOutcome.Status.VERIFIED);
            List<JsonObject> applied = events(demo, job, "knob.applied").stream()
                    .filter(e -> rebalance.action().id().equals(e.getJsonObject("attributes").getString("action")))
                    .toList();
            assertThat(applied).extracting(e -> e.getString("worker")).containsExactlyInAnyOrder("w0", "w1", "w2",
                    "w3");
            assertThat(applied).extracting(e -> e.getJsonObject("attributes").getString("step")).as(
                    "in force from the same step on every rank").containsOnly(applied.getFirst()
                    .getJsonObject("attributes").getString("step"));

            HttpResponse<String> set = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            demo.intake().resolve("/v1/knobs/" + job)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"worker\":\"w1\",\"knobs\":{\"node\":\"n9\"}}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            JsonObject rejected = Await.value("the job to refuse node=n9", DEADLINE,
                    () -> events(demo, job, "knob.rejected").stream().findFirst());
            assertThat(rejected.getString("worker")).isEqualTo("w1");
            assertThat(rejected.getJsonObject("attributes").getString("reason")).contains("cannot move a rank");

            double best = Await.value("the job to reach 85% test accuracy", DEADLINE,
                    () -> bestAccuracy(log).filter(a -> a >= 0.85));
            assertThat(best).isGreaterThanOrEqualTo(0.85);
        }
    }

    private static Optional<JsonObject> straggler(Demo demo, String worker) {
        JsonArray current = new JsonObject(get(demo.dashboard().resolve("/api/stragglers"))).getJsonArray("current");
        for (int i = 0; i < current.size(); i++) {
            JsonObject s = current.getJsonObject(i);
            if (s.getString("job").equals(demo.jobId()) && s.getString("worker").equals(worker)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The job's recent events of one kind, from the dashboard's job view. */
    private static List<JsonObject> events(Demo demo, String job, String kind) {
        JsonObject view = new JsonObject(get(demo.dashboard().resolve("/api/jobs/" + job)));
        JsonArray events = view.containsKey("job") ? view.getJsonObject("job").getJsonArray("events")
                : new JsonArray();
        return events.stream().map(JsonObject.class::cast).filter(e -> kind.equals(e.getString("kind"))).toList();
    }

    private static Optional<Double> bestAccuracy(Path log) {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            Matcher m = ACCURACY.matcher(Files.readString(log, StandardCharsets.UTF_8));
            double best = -1;
            while (m.find()) {
                best = Math.max(best, Double.parseDouble(m.group(1)));
            }
            return best < 0 ? Optional.empty() : Optional.of(best);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError("GET " + uri, e);
        }
    }

}
