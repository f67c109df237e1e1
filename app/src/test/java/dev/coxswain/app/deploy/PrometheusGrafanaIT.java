package dev.coxswain.app.deploy;

import dev.coxswain.app.Checkout;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;
import dev.coxswain.testkit.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a platform team plugs in, checked against the real thing: the Prometheus rules in deploy/prometheus pass
 * {@code promtool check rules} and their unit tests ({@code promtool test rules}, Debian's prometheus package, which
 * ./test installs), and every metric the rules and the Grafana dashboard in deploy/grafana query is one that the
 * running daemon exports: scraped from the demo's /metrics while its straggler is ongoing, not listed by hand.
 */
class PrometheusGrafanaIT {
    private static final Path DEPLOY = Checkout.root("deploy").resolve("deploy");
    private static final Pattern METRIC = Pattern.compile("\\bcoxswain_[a-z0-9_]+");

    @TempDir
    Path dir;

    @Test
    void theRulesPassPromtoolsChecksAndTheirUnitTests() throws Exception {
        Path rules = DEPLOY.resolve("prometheus");
        assertThat(promtool(rules, "check", "rules", "coxswain-rules.yml")).contains("SUCCESS");
        assertThat(promtool(rules, "test", "rules", "coxswain-rules.test.yml")).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsExportedByTheDaemon() throws Exception {
        Settings settings = Settings.load(null, Map.of("kafka.embedded.dir", dir.resolve("kafka").toString(),
                "dashboard.port", "0", "agent.intake.port", "0", "collector.snapshot.interval", "200ms",
                "detector.model", dir.resolve("no.model").toString()));
        Set<String> queried = new TreeSet<>();
        queried.addAll(metrics(Files.readString(DEPLOY.resolve("prometheus/coxswain-rules.yml"))));
        queried.addAll(dashboardMetrics(DEPLOY.resolve("grafana/coxswain.json")));
        assertThat(queried).as("the files query something").hasSizeGreaterThan(10);
        try (Demo demo = Demo.start(settings, Demo.Job.SYNTHETIC, Duration.ofSeconds(2), Map.of(),
                Clock.systemUTC())) {
            URI uri = demo.dashboard().resolve("/metrics");
            Await.value("every queried metric exported", Duration.ofSeconds(90),
                    () -> Optional.of(exported(get(uri))).filter(e -> e.containsAll(queried)), () -> {
                        Set<String> exported = exported(get(uri));
                        Set<String> missing = new TreeSet<>(queried);
                        missing.removeAll(exported);
                        return "queried but not exported: " + missing + " (exported: " + exported + ")";
                    });
        }
    }

    /** The metric names of every target's expression of every panel. */
    private static Set<String> dashboardMetrics(Path file) throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(file));
        assertThat(dashboard.getString("uid")).isEqualTo("coxswain");
        List<String> exprs = new ArrayList<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
            assertThat(targets).as("panel %s has queries", ((JsonObject) p).getString("title")).isNotEmpty();
            targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
        }
        return metrics(String.join("\n", exprs));
    }

    private static Set<String> metrics(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Set<String> exported(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String promtool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("promtool is needed to check deploy/prometheus: install Debian's prometheus package "
                    + "(./test does): " + e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
