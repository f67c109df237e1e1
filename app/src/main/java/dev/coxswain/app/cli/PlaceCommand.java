package dev.coxswain.app.cli;

import ai.djl.ndarray.NDManager;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.gnn.PlacementSearch;
import dev.coxswain.app.gnn.Placer;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.dashboards.DashboardSettings;
import dev.coxswain.graphmodels.model.GraphModelFile;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code coxswain place}: ranks placements of a new job on a cluster running other jobs, with the graph network
 * when its model file is there and loads, else with the what-if simulator (one log line says why); on the live
 * cluster, the daemon ranks them ({@code POST /api/place}) and this prints its answer.
 */
public final class PlaceCommand implements Command {
    private final PrintStream out;

    public PlaceCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "place";
    }

    @Override
    public String summary() {
        return "rank placements of a new job on a busy cluster (graph network, or the simulator without one)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain place --cluster <preset|file> --job <file> [--running <file>] [--model <file>]
                                      [--engine gnn|sim] [--top <n>] [--seed <s>]
                       coxswain place --cluster live --job <file> [--url <dashboard>] [--config <file>] [--top <n>]
                                      [--seed <s>]

                Ranks where to put a new all-reduce job: the usual heuristics (pack-first, spread, random), a pack
                starting at every node and random placements, each scored by its cost, the sum over every job on the
                cluster of its step time over its compute time (so a placement that slows the neighbours is not
                preferred). Prints the best placements with the new job's step time and the link that would bound
                it, and where the heuristics rank.

                  --cluster   a preset (%s), a cluster YAML file, or live: the cluster a running
                              collector sees, with the all-reduce jobs running there, ranked by the daemon
                              (POST /api/place, with the graph network at its network.model)
                  --job       a jobs YAML file with the one job to place (docs/whatif.md); its placement there is
                              ranked too when its GPUs are free, and gives the number of workers (live: nodes are
                              numbered in the order the answer lists them)
                  --running   a jobs YAML file of the jobs already on the cluster (default: none)
                  --model     graph network from 'coxswain models train --gnn' (default %s)
                  --engine    gnn (default; falls back to sim when the model is missing or damaged) or sim
                  --url       live: the collector's dashboard (default http://<dashboard.host>:<dashboard.port>
                              of the settings); its dashboard.token is sent when the settings have one
                  --config    live: the settings file the daemon runs with
                  --top       placements to print (default 5)
                  --seed      seed of the random candidates and the simulator (default 1)

                example: coxswain place --cluster examples/whatif/cluster-oversubscribed.yaml \\
                             --job examples/whatif/place-job.yaml \\
                             --running examples/whatif/place-running.yaml""".formatted(ClusterPresets.names(),
                GraphModelsCommand.defaultModel());
    }

    /** One ranked place as printed: how it was found, the new job's step, the cost, the bound and the GPUs. */
    private record Row(String how, double stepMs, double cost, String bound, String gpus) {
        static Row of(RankedPlacement p, String gpus) {
            return new Row(p.how(), 1000 * p.stepSec(), p.cost(), bound(p.bottleneck(), p.bottleneckUtilization()),
                    gpus);
        }

        static String bound(Optional<String> link, double utilization) {
            return link.map(b -> String.format(Locale.ROOT, "%s, %.0f%%", b, 100 * utilization)).orElse("-");
        }
    }

    @Override
    public int run(List<String> args) throws IOException {
        Options o = Options.parse(args, Set.of("cluster", "job", "running", "model", "engine", "top", "seed", "url",
                "config"), Set.of());
        String clusterArg = o.require("cluster");
        int top = o.getInt("top", 5, 1);
        long seed = o.getLong("seed", 1);
        if (clusterArg.equals("live")) {
            for (String local : List.of("running", "model", "engine")) {
                if (o.get(local).isPresent()) {
                    throw new UsageException("--" + local + " is for a preset or a cluster file; --cluster live"
                            + " places among the jobs the daemon sees, with its own model");
                }
            }
            return live(o, top, seed);
        }
        for (String remote : List.of("url", "config")) {
            if (o.get(remote).isPresent()) {
                throw new UsageException("--" + remote + " is for --cluster live");
            }
        }
        ClusterSpec cluster = Clusters.load(clusterArg);
        JobSpec job;
        try {
            job = PlacementRanker.jobToPlace(JobFile.read(Path.of(o.require("job")), cluster).jobs(),
                    "--job " + o.require("job"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<JobSpec> running = o.get("running").map(f -> JobFile.read(Path.of(f), cluster).jobs()).orElse(List.of());
        String engine = o.get("engine").orElse("gnn");
        if (!engine.equals("gnn") && !engine.equals("sim")) {
            throw new UsageException("--engine is gnn or sim, not '" + engine + "'");
        }
        Path model = o.path("model").orElse(GraphModelsCommand.defaultModel());
        try (NDManager manager = engine.equals("gnn") ? GraphModelsCommand.engine(0) : null) {
            Placer placer = new Placer(manager == null ? Optional.empty()
                    : GraphModelFile.loadOr(model, manager, "the what-if simulator"), manager);
            long t0 = System.nanoTime();
            List<RankedPlacement> ranked;
            try {
                ranked = placer.rank(cluster, running, Set.of(), job, seed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            int busy = running.stream().mapToInt(JobSpec::workers).sum();
            int gpus = new Topology(cluster).gpuCount();
            out.printf(Locale.ROOT, "placing %s (%d workers) on %s: %d jobs running, %d of %d GPUs free%n",
                    job.name(), job.workers(), cluster.name(), running.size(), gpus - busy, gpus);
            out.printf(Locale.ROOT, "scored %d candidates with the %s%s in %.2f s%n", ranked.size(), placer.engine(),
                    placer.learned() ? " (" + model + ")" : "", sec);
            print(job.name(), ranked.stream().map(p -> Row.of(p, p.gpusByNode(cluster, cluster::nodeName))).toList(),
                    top);
        }
        return 0;
    }

    /** Asks the daemon's dashboard to rank places on the live cluster, and prints its answer. */
    private int live(Options o, int top, long seed) throws IOException {
        Path jobFile = Path.of(o.require("job"));
        if (!Files.isRegularFile(jobFile)) {
            throw new UsageException("--job " + jobFile + " is not a file");
        }
        DashboardSettings dashboard = Settings.load(o.path("config").orElse(null), o.overrides()).dashboard();
        URI url = URI.create(o.get("url").orElse("http://" + dashboard.host() + ":" + dashboard.port()));
        String body = new JsonObject().put("job", Files.readString(jobFile)).put("seed", seed).encode();
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve("/api/place"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        dashboard.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> answer;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CoxswainException("no Coxswain dashboard answers at " + url + " (start 'coxswain collector' or"
                    + " 'coxswain demo', or give --url)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + url, e);
        }
        JsonObject json;
        try {
            json = new JsonObject(answer.body());
        } catch (DecodeException e) {
            throw new CoxswainException(url + " answered " + answer.statusCode() + " with something that is not JSON: "
                    + answer.body().lines().findFirst().orElse(""));
        }
        if (answer.statusCode() != 200) {
            throw new CoxswainException(url + " refused the placement (" + answer.statusCode() + "): "
                    + json.getString("message", answer.body()));
        }
        out.printf(Locale.ROOT, "placing %s (%d workers) on the live cluster at %s (snapshot %d of %s): %d jobs"
                        + " running, %d of %d GPUs free%n", json.getString("job"), json.getInteger("workers"), url,
                json.getLong("generation"), json.getString("at"), json.getJsonArray("running").size(),
                json.getInteger("freeGpus"), json.getInteger("gpus"));
        out.println("nodes, in the order a job file numbers them: " + String.join(" ",
                json.getJsonArray("nodes").stream().map(String::valueOf).toList()));
        json.getJsonObject("skipped").forEach(e -> out.printf(Locale.ROOT, "left out: %s (%s)%n", e.getKey(),
                e.getValue()));
        JsonArray placements = json.getJsonArray("placements");
        out.printf(Locale.ROOT, "scored %d candidates with the %s in %.2f s%n", placements.size(),
                json.getString("engine"), json.getDouble("seconds"));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < placements.size(); i++) {
            JsonObject p = placements.getJsonObject(i);
            rows.add(new Row(p.getString("how"), p.getDouble("stepMs"), p.getDouble("cost"),
                    Row.bound(Optional.ofNullable(p.getString("bottleneck")), p.getDouble("bottleneckUtilization")),
                    p.getString("gpus")));
        }
        print(json.getString("job"), rows, top);
        return 0;
    }

    /** The best {@code top} places, where the heuristics and the job's own placement rank, and how much better. */
    private void print(String job, List<Row> ranked, int top) {
        out.printf(Locale.ROOT, "%4s  %-10s %10s %8s  %-28s %s%n", "rank", "found by", "step (ms)", "cost",
                "bounded by", "GPUs");
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            line(i, ranked.get(i));
        }
        out.println("heuristics:");
        for (int i = 0; i < ranked.size(); i++) {
            Row r = ranked.get(i);
            if (i >= top && (PlacementSearch.HEURISTICS.contains(r.how()) || r.how().equals("as given"))) {
                line(i, r);
            }
        }
        Row best = ranked.getFirst();
        for (Row r : ranked) {
            if (!r.how().equals("search") && r != best) {
                out.printf(Locale.ROOT, "best: %.1f%% faster for %s than %s%n", 100 * (1 - best.stepMs() / r.stepMs()),
                        job, r.how());
            }
        }
    }

    private void line(int rank, Row r) {
        out.printf(Locale.ROOT, "%4d  %-10s %10.2f %8.3f  %-28s %s%n", rank + 1, r.how(), r.stepMs(), r.cost(),
                r.bound(), r.gpus());
    }
}
