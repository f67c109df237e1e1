package dev.coxswain.dashboards;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.NetworkCluster;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/place} on a real server over a live cluster: the ranker is asked with the cluster, the running
 * all-reduce jobs and the GPUs that jobs it cannot score hold, read from the latest snapshot, and its places come
 * back named by host; bad bodies and job files are 400 naming what is wrong, and a server without a ranker says so;
 * a second request while one is ranked is 429. The ranker here records what it is asked and answers with the free
 * GPUs in order (the real one, the graph network's or the simulator's, is the app's, tested through {@code coxswain
 * place --cluster live}).
 */
class PlaceRoutesIT {
    private static final String JOB = """
            jobs:
              - name: new
                steps: 100
                model:
                  name: m
                  gradientBytes: 1000000
                  compute:
                    - {gpu: T4, tflops: 65, alphaMs: 5, betaMsPerSample: 0.5}
                sync: {kind: allreduce, algorithm: ring}
                workers: ["1:0", "1:1"]
                localBatch: 8
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final SnapshotHub hub = new SnapshotHub();
    private final List<Object> asked = new ArrayList<>();
    private DashboardServer server;

    /** Records what it is asked; ranks the free GPUs in order, two a place. */
    private final PlacementRanker recording = new PlacementRanker() {
        @Override
        public String engine() {
            return "recording ranker";
        }

        @Override
        public List<RankedPlacement> rank(ClusterSpec cluster, List<JobSpec> running, Set<Integer> held, JobSpec job,
                                          long seed) {
            asked.addAll(List.of(cluster.gpuCount(), running.stream().map(JobSpec::name).toList(), held, job.name(),
                    seed));
            List<Integer> free = new ArrayList<>();
            for (int g = 0; g < cluster.gpuCount(); g++) {
                int gpu = g;
                if (!held.contains(g) && running.stream().noneMatch(j -> j.workerGpus().contains(gpu))) {
                    free.add(g);
                }
            }
            return List.of(new RankedPlacement("search", free.subList(0, 2), 0.010, 2.0,
                    Optional.of("a-0/gpu2-up"), 0.4), new RankedPlacement("spread", List.of(free.get(0), 7), 0.050,
                    6.0, Optional.empty(), 0));
        }
    };

    private void start(DashboardServer.Boards boards) {
        server = new DashboardServer(DashboardSettings.defaults().withPort(0), hub, boards,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC()).start();
        hub.publish(new NetworkCluster(100)
                .job("ring", JobMembership.CommPattern.RING_ALLREDUCE, 100_000_000L, List.of(
                        new NetworkCluster.Place("r0", "a", 0), new NetworkCluster.Place("r1", "b", 0)), 100, 20, 10)
                .job("ps", JobMembership.CommPattern.PARAMETER_SERVER, 100_000_000L, List.of(
                        new NetworkCluster.Place("p0", "a", 1), new NetworkCluster.Place("s", "b", -1)), 100, 20, 10)
                .snapshot(7, NetworkCluster.AT.plusSeconds(5)));
    }

    @AfterEach
    void tearDown() {
        server.close();
        http.close();
    }

    private JsonObject post(String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/place"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    @Test
    void ranksPlacesAmongTheJobsTheSnapshotHolds() throws Exception {
        start(DashboardServer.Boards.none().withPlacement(recording));
        JsonObject r = post(new JsonObject().put("job", JOB).put("seed", 3).encode(), 200);
        assertThat(asked).containsExactly(8, List.of("ring"), Set.of(1), "new", 3L);
        assertThat(r.getLong("generation")).isEqualTo(7);
        assertThat(r.getString("engine")).isEqualTo("recording ranker");
        assertThat(r.getJsonArray("nodes")).isEqualTo(new JsonArray().add("a").add("b"));
        assertThat(r.getInteger("freeGpus")).isEqualTo(5);
        assertThat(r.getJsonArray("running")).isEqualTo(new JsonArray().add("ring"));
        assertThat(r.getJsonObject("skipped").getString("ps")).contains("parameter server");
        JsonObject best = r.getJsonArray("placements").getJsonObject(0);
        assertThat(best.getString("gpus")).isEqualTo("a:2,3");
        assertThat(best.getDouble("stepMs")).isEqualTo(10.0);
        assertThat(best.getString("bottleneck")).as("named by its host").isEqualTo("a/gpu2-up");
        assertThat(r.getJsonArray("placements").getJsonObject(1).getString("gpus")).isEqualTo("a:2 b:3");
        assertThat(r.getJsonArray("placements").getJsonObject(1).getValue("bottleneck")).isNull();
    }

    @Test
    void badBodiesAndJobsAreRefusedWithWhatIsWrong() throws Exception {
        start(DashboardServer.Boards.none().withPlacement(recording));
        assertThat(post("[1]", 400).getString("message")).contains("JSON object");
        assertThat(post("{}", 400).getString("message")).contains("field 'job'");
        assertThat(post(new JsonObject().put("job", JOB).put("seed", "x").encode(), 400).getString("message"))
                .contains("field 'seed'");
        assertThat(post(new JsonObject().put("job", JOB.replace("\"1:1\"", "\"5:1\"")).encode(), 400)
                .getString("message")).contains("node 5 does not exist");
        assertThat(post(new JsonObject().put("job", JOB + JOB.replace("jobs:\n", "").replace("name: new",
                "name: other").replace("\"1:0\", \"1:1\"", "\"1:2\", \"1:3\"")).encode(), 400)
                .getString("message")).contains("holds 2 jobs; give a file with the one job to place");
        assertThat(post(new JsonObject().put("job", JOB.replace("{kind: allreduce, algorithm: ring}",
                "{kind: ps, servers: [0]}")).encode(), 400).getString("message")).contains("all-reduce");
        assertThat(asked).isEmpty();
    }

    @Test
    void aServerWithoutAPlacementEngineSaysSo() throws Exception {
        start(DashboardServer.Boards.none());
        assertThat(post(new JsonObject().put("job", JOB).encode(), 503).getString("message"))
                .contains("no placement engine");
    }

    @Test
    void oneRankingAtATime() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PlacementRanker slow = new PlacementRanker() {
            @Override
            public String engine() {
                return "slow ranker";
            }

            @Override
            public List<RankedPlacement> rank(ClusterSpec cluster, List<JobSpec> running, Set<Integer> held,
                                              JobSpec job, long seed) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return recording.rank(cluster, running, held, job, seed);
            }
        };
        start(DashboardServer.Boards.none().withPlacement(slow));
        String body = new JsonObject().put("job", JOB).encode();
        CompletableFuture<HttpResponse<String>> first = http.sendAsync(HttpRequest.newBuilder(
                        server.uri().resolve("/api/place")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(30, TimeUnit.SECONDS)).as("the first request reached the ranker").isTrue();
        assertThat(post(body, 429).getString("message")).contains("a placement is being ranked");
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        post(body, 200);
    }
}
