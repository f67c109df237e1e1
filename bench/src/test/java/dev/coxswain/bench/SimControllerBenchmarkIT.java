package dev.coxswain.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench controller --sim} on a small plant: the simulator in real time through the embedded broker, the
 * collector, the live detector, the controller in act mode, and the knob intake that hands the signed actions back to
 * the simulation. The straggling job is rebalanced and its action applied by the simulated job (knob.applied with
 * the action id) and verified; the healthy job and the clean runs get no action, and the controlled job finishes
 * sooner than the static one. The simulated step times do not depend on this machine's speed.
 */
class SimControllerBenchmarkIT {
    @TempDir
    Path dir;

    @Test
    void theControllerRebalancesASimulatedStragglerThroughTheBroker() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Path jobs = Path.of(getClass().getResource("/bench/jobs-plant-it.yaml").toURI());
        new SimControllerBenchmark(new PrintStream(text, true, StandardCharsets.UTF_8), Clock.systemUTC())
                .run(1, Optional.of(jobs), Map.of("kafka.embedded.dir", dir.resolve("kafka").toString(),
                        "collector.snapshot.interval", "200ms",
                        "detector.model", dir.resolve("no.model").toString()));
        String printed = text.toString(StandardCharsets.UTF_8);

        String result = printed.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(
                () -> new AssertionError("no RESULT line in:\n" + printed));
        Map<String, Double> r = Arrays.stream(result.substring(7).split(" ")).map(kv -> kv.split("="))
                .collect(Collectors.toMap(kv -> kv[0], kv -> Double.parseDouble(kv[1])));
        assertThat(r.get("gpus")).isEqualTo(16);
        assertThat(r.get("actions")).as(printed).isGreaterThanOrEqualTo(1);
        assertThat(r.get("wrong_actions")).as(printed).isZero();
        assertThat(r.get("rollbacks")).as(printed).isZero();
        assertThat(r.get("controlled_s")).as(printed).isLessThan(r.get("static_s"));
        assertThat(printed).contains("actions on the clean controlled jobs: 0")
                .containsPattern("a +rebalance \\[.*-a-w3\\.batch_size=\\d+.*\\] triggered by \\S*-a-w3 -> verified");
    }
}
