package dev.coxswain.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code coxswain place} on the example cluster, scored by the simulator when there is no graph model (the model
 * path given does not exist): the search beats the heuristics and the placement as given; bad jobs are refused.
 */
class PlaceCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "whatif");

    @TempDir
    Path dir;

    private String place(String... extra) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("--cluster",
                EXAMPLES.resolve("cluster-oversubscribed.yaml").toString(), "--running",
                EXAMPLES.resolve("place-running.yaml").toString(), "--model", dir.resolve("none.model").toString()));
        args.addAll(List.of(extra));
        assertThat(new PlaceCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(args)).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ranksTheExamplePlacementsAndExplainsTheBest() throws Exception {
        String out = place("--job", EXAMPLES.resolve("place-job.yaml").toString(), "--engine", "sim", "--top", "3");
        assertThat(out).contains("placing bert-large (8 workers) on oversubscribed-a100: 3 jobs running, 42 of 64"
                + " GPUs free").contains("with the what-if simulator");
        List<String> ranks = out.lines().filter(l -> l.matches("\\s+\\d+ .*")).toList();
        assertThat(ranks.getFirst()).contains("nic-tx");
        assertThat(out).containsPattern("best: [0-9.]+% faster for bert-large than spread")
                .containsPattern("best: [0-9.]+% faster for bert-large than as given");
        double best = Double.parseDouble(ranks.getFirst().trim().split("\\s+")[2]);
        double spread = ranks.stream().filter(l -> l.contains(" spread ")).mapToDouble(
                l -> Double.parseDouble(l.trim().split("\\s+")[2])).findFirst().orElseThrow();
        assertThat(best).isLessThan(0.8 * spread);
    }

    @Test
    void withoutAModelTheGnnEngineFallsBackToTheSimulator() throws Exception {
        String out = place("--job", EXAMPLES.resolve("place-job.yaml").toString(), "--top", "1");
        assertThat(out).contains("with the what-if simulator");
    }

    @Test
    void refusesJobsItCannotPlace() throws Exception {
        Path two = Files.writeString(dir.resolve("two.yaml"), Files.readString(EXAMPLES.resolve("place-running.yaml"))
                .replace("name: gpt-c", "name: gpt-d").replace("firstNode: 2", "firstNode: 14")
                .replace("placement: \"44\"", "placement: \"4\""));
        assertThatThrownBy(() -> place("--job", two.toString())).isInstanceOf(UsageException.class)
                .hasMessageContaining("holds 3 jobs; give a file with the one job to place");
        Path big = Files.writeString(dir.resolve("big.yaml"), Files.readString(EXAMPLES.resolve("place-job.yaml"))
                .replace("workers: [\"6:0\", \"6:1\", \"10:0\", \"10:1\", \"13:0\", \"13:1\", \"15:0\", \"15:1\"]",
                        "placement: \"4444444444444\"\n    firstNode: 0"));
        assertThatThrownBy(() -> place("--job", big.toString(), "--engine", "sim"))
                .isInstanceOf(UsageException.class).hasMessageContaining("needs 52 GPUs but only 42");
        assertThatThrownBy(() -> place("--job", EXAMPLES.resolve("place-job.yaml").toString(), "--engine", "best"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--engine is gnn or sim");
        assertThatThrownBy(() -> new PlaceCommand(System.out).run(List.of("--cluster", "live", "--job", "x")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--cluster live is not supported yet");
    }
}
