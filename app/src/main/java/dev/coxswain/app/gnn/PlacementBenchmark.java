package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.Exchanges;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.synthetic.RandomClusters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * How well and how fast the graph network places a new job on a busy cluster, against the simulator and against
 * the usual heuristics. On each held-out contended cluster ({@link #contended}) a job that has a choice of places
 * ({@link #toPlace}) is taken off and placed again: the network scores every candidate of {@link PlacementSearch}
 * at once and keeps the cheapest; the simulator scores the same candidates one by one.
 */
public final class PlacementBenchmark {
    /** Random candidates a search adds to the heuristics and the packs. */
    static final int RANDOM_CANDIDATES = 32;

    /**
     * @param placementGap  mean over cases of how much costlier (simulated) the network's choice is than the best
     *                      candidate found by simulating every one, in percent
     * @param heuristicGain mean over cases and heuristics of how much lower the new job's simulated step time is at
     *                      the network's choice than at the heuristic's, in percent
     * @param heuristicGainSe its standard error over the cases, in points: how far another draw of clusters
     *                      could move it
     * @param gainByHeuristic the same for each heuristic, in {@link PlacementSearch#HEURISTICS}' order
     * @param simulatedChoiceGain the same with the candidate of least simulated cost in place of the network's
     *                      choice: what the network's objective gains with a perfect predictor
     * @param ceilingGain   the same with the candidate whose simulated step time is least for the new job in place
     *                      of the network's choice: the most any choice among these candidates could gain
     * @param simPerSec     candidates the simulator scored a second, one by one
     * @param gnnPerSec     candidates the network scored a second, in batches (building their graphs included)
     */
    public record Result(int cases, int candidates, double placementGap, double heuristicGain,
                         double heuristicGainSe, double[] gainByHeuristic, double simulatedChoiceGain,
                         double ceilingGain, double simPerSec, double gnnPerSec) {
        public double speedup() {
            return gnnPerSec / simPerSec;
        }
    }

    private PlacementBenchmark() {
    }

    /**
     * Whether jobs on {@code cluster} contend for its fabric, as the cluster is built rather than as they happen to
     * be placed: more than one leaf, and leaves oversubscribed.
     */
    static boolean contended(ClusterSpec cluster) {
        return cluster.tiers().size() >= 2 && cluster.tiers().getFirst().oversubscription() > 1
                && cluster.nodeCount() > cluster.tiers().getFirst().fanout();
    }

    /**
     * The job a case places: the largest running job that fits twice into the GPUs free once it is taken off, so that
     * there are at least two places for it that share no GPU. A job that takes (nearly) every free GPU has one place
     * whatever the scorer, and says nothing about placement. Empty when no job has such a choice.
     */
    static Optional<JobSpec> toPlace(ClusterSpec cluster, List<JobSpec> jobs) {
        int free = cluster.gpuCount() - jobs.stream().mapToInt(JobSpec::workers).sum();
        return jobs.stream().filter(j -> 2 * j.workers() <= free + j.workers())
                .max(Comparator.comparingInt(JobSpec::workers));
    }

    /** The network's cost of each placement, scored in batches. */
    static double[] networkCosts(RouteNet network, NDManager manager, ClusterSpec cluster,
                                 List<List<JobSpec>> placements) {
        List<SimulatedNetwork> nets = SimulatedNetwork.of(cluster, placements);
        List<Exchanges> exchanges = GraphNetworkWorkflow.exchanges(network, manager, nets);
        double[] costs = new double[nets.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = nets.get(i).cost(nets.get(i).stepSec(exchanges.get(i)));
        }
        return costs;
    }

    static int cheapest(double[] costs) {
        int best = 0;
        for (int i = 1; i < costs.length; i++) {
            if (costs[i] < costs[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * {@code count} held-out contended clusters of {@code minNodes} to {@code maxNodes} nodes with at least two jobs,
     * one of which has a choice of places ({@link #toPlace}), drawn from {@code seed}.
     */
    public static List<RandomClusters.Case> contendedCases(long seed, int count, int minNodes, int maxNodes) {
        SplittableRandom seeds = new SplittableRandom(seed);
        List<RandomClusters.Case> cases = new ArrayList<>();
        while (cases.size() < count) {
            RandomClusters.Case c = RandomClusters.draw(seeds.nextLong(), minNodes, maxNodes, GraphNetworkCases.STEPS);
            if (contended(c.cluster()) && c.jobs().size() >= 2 && toPlace(c.cluster(), c.jobs()).isPresent()) {
                cases.add(c);
            }
        }
        return cases;
    }

    public static Result run(RouteNet network, NDManager manager, List<RandomClusters.Case> cases, long seed) {
        double gap = 0;
        double[] gains = new double[PlacementSearch.HEURISTICS.size()];
        double caseGainSum = 0;
        double caseGainSquares = 0;
        double simulatedChoice = 0;
        double ceiling = 0;
        double simSec = 0;
        double gnnSec = 0;
        int scored = 0;
        int used = 0;
        for (RandomClusters.Case c : cases) {
            List<JobSpec> jobs = new ArrayList<>(c.jobs());
            ClusterSpec cluster = c.cluster();
            JobSpec moved = toPlace(cluster, jobs).orElseThrow(() -> new IllegalArgumentException(
                    "no job on " + cluster.name() + " has a choice of places"));
            jobs.remove(moved);
            PlacementSearch search = new PlacementSearch(new Topology(cluster), jobs);
            List<PlacementSearch.Candidate> candidates = search.candidates(moved.workers(), RANDOM_CANDIDATES, seed);
            List<List<JobSpec>> placements = search.placements(moved, candidates);
            long t0 = System.nanoTime();
            double[] simulated = new double[placements.size()];
            double[] newJobStep = new double[placements.size()];
            // The candidates built as the network's are (each job's compute drawn once), then simulated one by one.
            List<SimulatedNetwork> nets = SimulatedNetwork.of(cluster, placements);
            for (int i = 0; i < placements.size(); i++) {
                SimulatedNetwork net = nets.get(i);
                double[] step = SimulatedNetwork.stepSec(net.simulate(seed).result());
                simulated[i] = net.cost(step);
                newJobStep[i] = step[step.length - 1];
            }
            long t1 = System.nanoTime();
            int chosen = cheapest(networkCosts(network, manager, cluster, placements));
            long t2 = System.nanoTime();
            simSec += (t1 - t0) / 1e9;
            gnnSec += (t2 - t1) / 1e9;
            scored += placements.size();
            int simulatedBest = cheapest(simulated);
            int newJobBest = cheapest(newJobStep);
            gap += simulated[chosen] / simulated[simulatedBest] - 1;
            double caseGain = 0;
            for (int h = 0; h < gains.length; h++) {
                String name = PlacementSearch.HEURISTICS.get(h);
                int at = indexOf(candidates, search.heuristic(name, moved.workers(), seed));
                double gain = 1 - newJobStep[chosen] / newJobStep[at];
                gains[h] += gain;
                caseGain += gain / gains.length;
                simulatedChoice += 1 - newJobStep[simulatedBest] / newJobStep[at];
                ceiling += 1 - newJobStep[newJobBest] / newJobStep[at];
            }
            caseGainSum += caseGain;
            caseGainSquares += caseGain * caseGain;
            used++;
        }
        for (int h = 0; h < gains.length; h++) {
            gains[h] = 100 * gains[h] / used;
        }
        double mean = caseGainSum / used;
        double sd = used < 2 ? 0 : Math.sqrt(Math.max(0, (caseGainSquares - used * mean * mean) / (used - 1)));
        return new Result(used, scored, 100 * gap / used, 100 * mean, 100 * sd / Math.sqrt(used), gains,
                100 * simulatedChoice / (used * gains.length), 100 * ceiling / (used * gains.length),
                scored / simSec, scored / gnnSec);
    }

    private static int indexOf(List<PlacementSearch.Candidate> candidates, PlacementSearch.Candidate c) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i).gpus().equals(c.gpus())) {
                return i;
            }
        }
        throw new IllegalStateException("the heuristic's placement is not among the candidates");
    }

    /**
     * Seconds to plan a new job's placement on a 1,024-GPU cluster (the {@code dgx-h100} preset) running 50 jobs:
     * drawing the candidates, scoring them with the network, choosing.
     */
    public static double plan1024(RouteNet network, NDManager manager, long seed) {
        ClusterSpec cluster = ClusterPresets.get("dgx-h100");
        List<JobSpec> jobs = new ArrayList<>(RandomClusters.fill(cluster, 51, 32, seed, GraphNetworkCases.STEPS)
                .jobs());
        JobSpec job = jobs.removeLast();
        long t0 = System.nanoTime();
        PlacementSearch search = new PlacementSearch(new Topology(cluster), jobs);
        List<PlacementSearch.Candidate> candidates = search.candidates(job.workers(), RANDOM_CANDIDATES, seed);
        cheapest(networkCosts(network, manager, cluster, search.placements(job, candidates)));
        return (System.nanoTime() - t0) / 1e9;
    }
}
