package dev.coxswain.app.cli;

import dev.coxswain.app.gnn.LivePlacer;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.dashboards.DashboardSettings;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.NetworkCluster;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code coxswain place} on the example cluster, scored by the simulator when there is no graph model (the model
 * path given does not exist): the search beats the heuristics and the placement as given; bad jobs are refused. And
 * on the live cluster, through a real dashboard server that reads it from its latest snapshot.
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
        assertThatThrownBy(() -> place("--job", EXAMPLES.resolve("place-job.yaml").toString(), "--url", "x"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--url is for --cluster live");
    }

    /** A ring job on GPU 1 of node a and GPU 2 of node b, a parameter-server job, and one that ended. */
    private static ClusterSnapshot live() {
        return new NetworkCluster(100)
                .job("ring", JobMembership.CommPattern.RING_ALLREDUCE, 400_000_000L, List.of(
                        new NetworkCluster.Place("r0", "a", 1), new NetworkCluster.Place("r1", "b", 2)), 100, 20, 10)
                .job("ps", JobMembership.CommPattern.PARAMETER_SERVER, 100_000_000L, List.of(
                        new NetworkCluster.Place("p0", "a", 0), new NetworkCluster.Place("s", "b", -1)), 100, 20, 10)
                .endedJob("old", List.of(new NetworkCluster.Place("o0", "a", 3)))
                .snapshot(4, NetworkCluster.AT.plusSeconds(5));
    }

    @Test
    void onTheLiveClusterTheDaemonRanksAmongTheJobsItSees() throws Exception {
        SnapshotHub hub = new SnapshotHub();
        hub.publish(live());
        Path job = Files.writeString(dir.resolve("new.yaml"), """
                jobs:
                  - name: new
                    steps: 1000
                    model:
                      name: m
                      gradientBytes: 400000000
                      compute:
                        - {gpu: A100-SXM4-80GB, tflops: 312, alphaMs: 5, betaMsPerSample: 0.5}
                    sync: {kind: allreduce, algorithm: ring}
                    workers: ["0:3", "1:3"]
                    localBatch: 32
                """);
        try (LivePlacer placer = new LivePlacer(dir.resolve("none.model"), dir.resolve("djl"));
             DashboardServer server = new DashboardServer(DashboardSettings.defaults().withPort(0), hub,
                     DashboardServer.Boards.none().withPlacement(placer),
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC()).start()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertThat(new PlaceCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(
                    "--cluster", "live", "--url", server.uri().toString(), "--job", job.toString(), "--top", "2")))
                    .isZero();
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("placing new (2 workers) on the live cluster at " + server.uri()
                            + " (snapshot 4 of 2026-01-01T00:00:05Z): 1 jobs running, 5 of 8 GPUs free")
                    .contains("nodes, in the order a job file numbers them: a b")
                    .contains("left out: old (it ended)").contains("left out: ps (synchronises through a parameter server")
                    .contains("scored 10 candidates with the what-if simulator");
            List<String> ranks = out.lines().filter(l -> l.matches("\\s+\\d+ .*")).toList();
            assertThat(ranks.getFirst()).as("both workers on one node's NVLink, off the GPUs the jobs hold")
                    .containsPattern("(a:2,3|b:0,1|b:0,3|b:1,3)$");
            assertThat(ranks).as("the ring's and the parameter-server job's GPUs are never offered")
                    .noneMatch(l -> l.matches(".*a:([0-9],)*[01](,[0-9])*( b:.*)?$"));
            assertThat(out).as("every pair of the five free GPUs is a candidate").containsPattern(
                    "best: [0-9.]+% faster for new than spread");

            // The user's mistakes come back from the daemon with what is wrong.
            Path far = Files.writeString(dir.resolve("far.yaml"), Files.readString(job).replace("\"1:3\"", "\"2:0\""));
            assertThatThrownBy(() -> new PlaceCommand(new PrintStream(new ByteArrayOutputStream())).run(List.of(
                    "--cluster", "live", "--url", server.uri().toString(), "--job", far.toString())))
                    .isInstanceOf(CoxswainException.class).hasMessageContaining("refused the placement (400)")
                    .hasMessageContaining("node 2 does not exist");
        }
        assertThatThrownBy(() -> new PlaceCommand(System.out).run(List.of("--cluster", "live", "--url",
                "http://127.0.0.1:1", "--job", job.toString())))
                .isInstanceOf(CoxswainException.class).hasMessageContaining("no Coxswain dashboard answers at");
        assertThatThrownBy(() -> new PlaceCommand(System.out).run(List.of("--cluster", "live", "--job",
                job.toString(), "--engine", "sim"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--engine is for a preset or a cluster file");
    }
}
