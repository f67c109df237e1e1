package dev.coxswain.app.cli;

import dev.coxswain.graphmodels.model.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code coxswain models train|eval --gnn} as a user runs them, small: a model file written with its provenance, a
 * benchmark that ends with the issue's RESULT keys, {@code whatif run --engine gnn} answering with it, and a clear
 * error for a missing or damaged model.
 */
class GraphModelsCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static String run(String... args) throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(new ModelsCommand(CLOCK).run(List.of(args))).isZero();
        } finally {
            System.setOut(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String whatIf(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        return whatIfCommand(all);
    }

    private static String whatIfCommand(List<String> args) throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertThat(new WhatIfCommand().run(args)).isZero();
        } finally {
            System.setOut(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsAModelFileAndMeasuresItEndingWithTheResultLine() throws Exception {
        Path model = dir.resolve("net.model");
        String trained = run("train", "--gnn", "--out", model.toString(), "--cases", "12", "--max-nodes", "2",
                "--epochs", "2", "--hidden", "8", "--rounds", "2");
        assertThat(model).isRegularFile();
        assertThat(trained).contains("training data: 12 simulated random clusters of 1-2 nodes (seed 1)")
                .contains("epoch 2/2: loss").contains("wrote " + model);

        Path straggler = dir.resolve("straggler.model");
        run("train", "--out", straggler.toString(), "--jobs", "6", "--data", "../data", "--recorded", "none");
        String eval = run("eval", "--gnn", "--model", model.toString(), "--test-cases", "2",
                "--placement-cases", "1", "--data", "../data", "--straggler-model", straggler.toString());
        assertThat(eval).contains("held out: 2 SYNTHETIC clusters of 8-16 nodes (4-8x the largest trained on)");
        String result = eval.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        assertThat(result).containsPattern("comm_mape=[0-9.]+ step_mape=[0-9.]+ bottleneck_top1=[0-9.]+"
                + " link_util_mae=[0-9.]+ speedup_vs_sim=[0-9.]+ placement_gap=[0-9.]+ heuristic_gain=-?[0-9.]+"
                + " plan_1024_s=[0-9.]+ pollux_mape=[0-9.]+ calibrated_mape=[0-9.]+ cause_telemetry_only_acc=[0-9.]+");
        assertThat(eval).containsPattern("on average -?[0-9.]+% lower than the heuristics' \\(standard error [0-9.]+"
                + " points over the cases\\)").containsPattern("the candidate of least simulated cost, .*, would be"
                + " -?[0-9.]+% lower");
        assertThat(eval).containsPattern("straggler causes from telemetry and the neighbourhood alone .*: [0-9.]+ of"
                + " \\d+ episodes");
        assertThat(GraphModelsCommand.telemetryOnlyCauses(dir.resolve("none.model"), 2)).as("no straggler model: na")
                .isEmpty();
        assertThat(eval).containsPattern("bert +\\d+ measured +\\d+ queried: calibrated [0-9.]+%");

        // The same model answers what-if questions in the simulator's place, and says so.
        String whatIf = whatIf("--scenario", "../examples/whatif/scenario-bert.yaml", "--engine", "gnn", "--model",
                model.toString(), "--out-dir", dir.toString());
        assertThat(whatIf).contains("answered by the graph network").contains("gnn step s")
                .containsPattern("placement 4 \\(one node\\) +[0-9.]+ +[0-9.]+ g4dn-0/host");
        assertThat(Files.readString(dir.resolve("bert-g4dn.html"))).contains("graph network step (s)");
        assertThatThrownBy(() -> whatIf("--scenario", "../examples/whatif/scenario-ssp.yaml", "--engine", "gnn",
                "--model", model.toString(), "--out-dir", dir.toString())).isInstanceOf(UsageException.class)
                .hasMessageContaining("the graph network answers all-reduce jobs");
        assertThat(whatIf("--scenario", "../examples/whatif/scenario-bert.yaml", "--engine", "gnn", "--model",
                dir.resolve("none.model").toString(), "--out-dir", dir.toString()))
                .as("a missing model falls back to the simulator").contains("answered by the what-if simulator");

        // whatif predict: the calibrated model, corrected by the network where leave-one-out says it helps.
        List<String> rows = Files.readAllLines(Path.of("../data/pollux-placements/bert/placements.csv"));
        Path measured = Files.write(dir.resolve("measured.csv"), rows.subList(0, 41));
        Path query = Files.write(dir.resolve("query.csv"), java.util.stream.Stream.concat(
                java.util.stream.Stream.of("placement,local_bsz"), rows.subList(41, 61).stream()
                        .map(r -> r.split(",")[0] + "," + r.split(",")[1])).toList());
        List<String> predict = List.of("predict", "--cluster", "g4dn-12xlarge", "--measured", measured.toString(),
                "--query", query.toString(), "--model", "bert", "--out", dir.resolve("out.csv").toString());
        List<String> withNetwork = new ArrayList<>(predict);
        withNetwork.addAll(List.of("--engine", "gnn", "--gnn-model", model.toString()));
        assertThat(whatIfCommand(withNetwork)).containsPattern("corrected by the graph network .*: ridge penalty"
                + " \\S+ chosen by leave-one-out on the measured rows").contains("wrote 20 predictions");
        assertThat(Files.readAllLines(dir.resolve("out.csv"))).hasSize(21);
        List<String> missing = new ArrayList<>(predict);
        missing.addAll(List.of("--engine", "gnn", "--gnn-model", dir.resolve("none.model").toString()));
        assertThat(whatIfCommand(missing)).as("a missing model: the calibrated model alone")
                .doesNotContain("corrected by").contains("wrote 20 predictions");
        List<String> bad = new ArrayList<>(predict);
        bad.addAll(List.of("--engine", "magic"));
        assertThatThrownBy(() -> whatIfCommand(bad)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--engine is calibrated or gnn");
    }

    @Test
    void aMissingOrDamagedModelIsAClearError() throws Exception {
        Path missing = dir.resolve("none.model");
        assertThatThrownBy(() -> run("eval", "--gnn", "--model", missing.toString(), "--data", "../data"))
                .isInstanceOf(UsageException.class).hasMessageContaining("no graph model at " + missing)
                .hasMessageContaining("coxswain models train --gnn");
        Path junk = Files.writeString(dir.resolve("junk.model"), "not a model at all, not even close");
        assertThatThrownBy(() -> run("eval", "--gnn", "--model", junk.toString(), "--data", "../data"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("is not a Coxswain graph network model file");
        assertThatThrownBy(() -> run("eval", "--gnn", "--model", junk.toString(), "--data", dir.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("no pollux-placements folder under " + dir);
        assertThatThrownBy(() -> run("train", "--gnn", "--max-nodes", "600", "--out", dir.resolve("x").toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--max-nodes is at most 512");
    }
}
