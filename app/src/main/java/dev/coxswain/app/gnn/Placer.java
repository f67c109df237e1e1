package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Ranks placements of a new job on a cluster running other jobs ({@code coxswain place}): the candidates of
 * {@link PlacementSearch}, scored by the graph network when there is one, else by the what-if simulator, one by one.
 */
public final class Placer {
    /** Random candidates a search adds to the heuristics and the packs. */
    static final int RANDOM_CANDIDATES = 64;

    /**
     * A scored placement.
     *
     * @param stepSec    the new job's predicted step time
     * @param cost       the placement's cost ({@link SimulatedNetwork#cost}): lower is better
     * @param bottleneck the link bounding the new job and its predicted utilisation, when a link does
     */
    public record Ranked(PlacementSearch.Candidate candidate, double stepSec, double cost,
                         Optional<String> bottleneck, double bottleneckUtilization) {
    }

    /** The network and its manager, or none for the simulator. */
    public record Engine(Optional<RouteNet> network, NDManager manager) {
        public String name() {
            return network.isPresent() ? "graph network" : "what-if simulator";
        }
    }

    private Placer() {
    }

    /**
     * Every candidate, best first.
     *
     * @param own where the job would go without a search, ranked too when all its GPUs are free
     * @throws IllegalArgumentException when the job needs more GPUs than are free, or is not an all-reduce job
     */
    public static List<Ranked> rank(ClusterSpec cluster, List<JobSpec> running, JobSpec job, Optional<List<Integer>> own,
                                    Engine engine, long seed) {
        Topology topology = new Topology(cluster);
        PlacementSearch search = new PlacementSearch(topology, running);
        List<PlacementSearch.Candidate> candidates = new ArrayList<>(search.candidates(job.workers(),
                RANDOM_CANDIDATES, seed));
        own.filter(g -> search.free().containsAll(g)
                        && candidates.stream().noneMatch(c -> c.gpus().equals(g.stream().sorted().toList())))
                .ifPresent(g -> candidates.add(new PlacementSearch.Candidate("as given", g)));
        List<List<JobSpec>> placements = search.placements(job, candidates);
        List<SimulatedNetwork> nets = SimulatedNetwork.of(cluster, placements);
        List<SimulatedNetwork.Prediction> predicted = engine.network().map(n -> GraphNetworkWorkflow.predict(n,
                engine.manager(), nets)).orElse(null);
        List<Ranked> ranked = new ArrayList<>();
        int newJob = running.size();
        for (int i = 0; i < nets.size(); i++) {
            SimulatedNetwork net = nets.get(i);
            double[] step;
            double[] utilization;
            int[] bottlenecks;
            if (predicted != null) {
                step = predicted.get(i).stepSec();
                utilization = predicted.get(i).utilization();
                bottlenecks = predicted.get(i).bottlenecks();
            } else {
                SimulatedNetwork.Simulated s = net.simulate(seed);
                step = SimulatedNetwork.stepSec(s.result());
                utilization = s.result().links().stream().mapToDouble(l -> l.utilization()).toArray();
                List<Integer> bound = s.result().jobs().get(newJob).bottlenecks();
                bottlenecks = new int[nets.get(i).jobs().size()];
                bottlenecks[newJob] = bound.isEmpty() ? -1 : bound.getFirst();
            }
            int b = bottlenecks[newJob];
            ranked.add(new Ranked(candidates.get(i), step[newJob], net.cost(step),
                    b < 0 ? Optional.empty() : Optional.of(net.topology().linkName(b)), b < 0 ? 0 : utilization[b]));
        }
        ranked.sort(Comparator.comparingDouble(Ranked::cost));
        return ranked;
    }
}
