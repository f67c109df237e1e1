package dev.coxswain.bench;

import dev.coxswain.app.cli.Clusters;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code bench network} on the example plant, short: the simulator in real time through the embedded broker, the
 * collector building its graph from the plant's topology reports, and the network model beside it (no model file:
 * the fair-share estimate). The jobs' exchange times read live come close to the simulator's, the hierarchical
 * all-reduce's included: the whole live path (topology, membership, routes, the model's input) reproduces what the
 * simulator moves. The simulated times do not depend on this machine's speed.
 */
class NetworkLiveBenchmarkIT {
    private static final Pattern ROW = Pattern.compile("^\\s+\\S+-(bert-a|resnet-b|gpt-c)\\s+([0-9.]+)\\s+([0-9.]+)",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void theLiveViewReadsTheSimulatedJobsThroughTheBroker() throws Exception {
        ClusterSpec cluster = Clusters.load("../examples/whatif/cluster-oversubscribed.yaml");
        Path jobsFile = Path.of("../examples/whatif/place-running.yaml");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new NetworkLiveBenchmark(new PrintStream(text, true, StandardCharsets.UTF_8), Clock.systemUTC()).run(cluster,
                JobFile.parse(jobsFile.toString(), Files.readString(jobsFile), cluster), Duration.ofSeconds(12), 1,
                Map.of("network.model", dir.resolve("none.model").toString(), "network.interval", "500ms",
                        "collector.snapshot.interval", "200ms"));
        String printed = text.toString(StandardCharsets.UTF_8);

        String result = printed.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(
                () -> new AssertionError("no RESULT line in:\n" + printed));
        Map<String, Double> r = Arrays.stream(result.substring(7).split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Double.parseDouble(kv[1])));
        assertThat(r.get("jobs")).as(printed).isEqualTo(3);
        assertThat(printed).contains("model: max-min fair share (no graph model)");
        Matcher row = ROW.matcher(printed);
        int read = 0;
        while (row.find()) {
            // The rings within 10%; gpt-c's hierarchical all-reduce, planned as the simulator runs it, within 15%.
            double sim = Double.parseDouble(row.group(2));
            double tolerance = row.group(1).equals("gpt-c") ? 0.15 : 0.1;
            assertThat(Double.parseDouble(row.group(3))).as(printed).isCloseTo(sim, within(tolerance * sim));
            read++;
        }
        assertThat(read).as(printed).isEqualTo(3);
        assertThat(r.get("live_refit_error_pct")).as(printed).isBetween(0.0, 100.0);
    }
}
