package dev.coxswain.app.cli;

import ai.djl.ndarray.NDManager;
import dev.coxswain.app.gnn.PlacementSearch;
import dev.coxswain.app.gnn.Placer;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code coxswain place}: ranks placements of a new job on a cluster running other jobs, with the graph network
 * when its model file is there and loads, else with the what-if simulator (one log line says why).
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

                Ranks where to put a new all-reduce job: the usual heuristics (pack-first, spread, random), a pack
                starting at every node and random placements, each scored by its cost, the sum over every job on the
                cluster of its step time over its compute time (so a placement that slows the neighbours is not
                preferred). Prints the best placements with the new job's step time and the link that would bound
                it, and where the heuristics rank.

                  --cluster   a preset (%s) or a cluster YAML file
                  --job       a jobs YAML file with the one job to place (docs/whatif.md); its placement there is
                              ranked too when its GPUs are free, and gives the number of workers
                  --running   a jobs YAML file of the jobs already on the cluster (default: none)
                  --model     graph network from 'coxswain models train --gnn' (default %s)
                  --engine    gnn (default; falls back to sim when the model is missing or damaged) or sim
                  --top       placements to print (default 5)
                  --seed      seed of the random candidates and the simulator (default 1)

                example: coxswain place --cluster examples/whatif/cluster-oversubscribed.yaml \\
                             --job examples/whatif/place-job.yaml \\
                             --running examples/whatif/place-running.yaml""".formatted(ClusterPresets.names(),
                GraphModelsCommand.defaultModel());
    }

    @Override
    public int run(List<String> args) throws IOException {
        Options o = Options.parse(args, Set.of("cluster", "job", "running", "model", "engine", "top", "seed"),
                Set.of());
        String clusterArg = o.require("cluster");
        if (clusterArg.equals("live")) {
            throw new UsageException("--cluster live is not supported yet: give a preset or a cluster file");
        }
        ClusterSpec cluster = Clusters.load(clusterArg);
        List<JobSpec> given = JobFile.read(Path.of(o.require("job")), cluster).jobs();
        if (given.size() != 1) {
            throw new UsageException("--job " + o.require("job") + " holds " + given.size()
                    + " jobs; give a file with the one job to place");
        }
        JobSpec job = given.getFirst();
        if (!(job.sync() instanceof SyncSpec.AllReduce)) {
            throw new UsageException("job " + job.name() + " synchronises by " + job.sync()
                    + "; place ranks all-reduce jobs");
        }
        List<JobSpec> running = o.get("running").map(f -> JobFile.read(Path.of(f), cluster).jobs()).orElse(List.of());
        String engine = o.get("engine").orElse("gnn");
        if (!engine.equals("gnn") && !engine.equals("sim")) {
            throw new UsageException("--engine is gnn or sim, not '" + engine + "'");
        }
        int top = o.getInt("top", 5, 1);
        long seed = o.getLong("seed", 1);
        Path model = o.path("model").orElse(GraphModelsCommand.defaultModel());
        try (NDManager manager = engine.equals("gnn") ? GraphModelsCommand.engine(0) : null) {
            Placer.Engine scorer = new Placer.Engine(manager == null ? Optional.empty()
                    : GraphModelsCommand.networkOr(model, manager, "the what-if simulator"), manager);
            long t0 = System.nanoTime();
            List<Placer.Ranked> ranked;
            try {
                ranked = Placer.rank(cluster, running, job, Optional.of(job.workerGpus()), scorer, seed);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            print(cluster, running, job, ranked, scorer, model, top, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private void print(ClusterSpec cluster, List<JobSpec> running, JobSpec job, List<Placer.Ranked> ranked,
                       Placer.Engine scorer, Path model, int top, double sec) {
        Topology t = new Topology(cluster);
        int busy = running.stream().mapToInt(JobSpec::workers).sum();
        out.printf(Locale.ROOT, "placing %s (%d workers) on %s: %d jobs running, %d of %d GPUs free%n", job.name(),
                job.workers(), cluster.name(), running.size(), t.gpuCount() - busy, t.gpuCount());
        out.printf(Locale.ROOT, "scored %d candidates with the %s%s in %.2f s%n", ranked.size(), scorer.name(),
                scorer.network().isPresent() ? " (" + model + ")" : "", sec);
        out.printf(Locale.ROOT, "%4s  %-10s %10s %8s  %-28s %s%n", "rank", "found by", "step (ms)", "cost",
                "bounded by", "GPUs");
        for (int i = 0; i < Math.min(top, ranked.size()); i++) {
            line(t, i, ranked.get(i));
        }
        out.println("heuristics:");
        for (int i = 0; i < ranked.size(); i++) {
            Placer.Ranked r = ranked.get(i);
            if (i >= top && (PlacementSearch.HEURISTICS.contains(r.candidate().how())
                    || r.candidate().how().equals("as given"))) {
                line(t, i, r);
            }
        }
        Placer.Ranked best = ranked.getFirst();
        for (Placer.Ranked r : ranked) {
            if (!r.candidate().how().equals("search") && r != best) {
                out.printf(Locale.ROOT, "best: %.1f%% faster for %s than %s%n",
                        100 * (1 - best.stepSec() / r.stepSec()), job.name(), r.candidate().how());
            }
        }
    }

    private void line(Topology t, int rank, Placer.Ranked r) {
        String bound = r.bottleneck().map(b -> String.format(Locale.ROOT, "%s, %.0f%%", b,
                100 * r.bottleneckUtilization())).orElse("-");
        out.printf(Locale.ROOT, "%4d  %-10s %10.2f %8.3f  %-28s %s%n", rank + 1, r.candidate().how(),
                r.stepSec() * 1e3, r.cost(), bound, gpus(t, r.candidate().gpus()));
    }

    /** GPUs by node, as {@code node:gpu,gpu}. */
    private static String gpus(Topology t, List<Integer> gpus) {
        Map<Integer, List<Integer>> byNode = new TreeMap<>();
        for (int g : gpus) {
            byNode.computeIfAbsent(t.nodeOfGpu(g), n -> new ArrayList<>()).add(g - t.firstGpu(t.nodeOfGpu(g)));
        }
        List<String> parts = new ArrayList<>();
        byNode.forEach((n, local) -> parts.add(t.cluster().nodeName(n) + ":" + String.join(",",
                local.stream().map(String::valueOf).toList())));
        return String.join(" ", parts);
    }
}
