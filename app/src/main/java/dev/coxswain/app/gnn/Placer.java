package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ranks placements of a new job on a cluster running other jobs ({@code coxswain place}, and the daemon's
 * {@code /api/place}): the candidates of {@link PlacementSearch}, scored by the graph network when there is one, else
 * by the what-if simulator, one by one. Not thread-safe (the network's manager is not).
 */
public final class Placer implements PlacementRanker {
    /** Random candidates a search adds to the heuristics and the packs. */
    static final int RANDOM_CANDIDATES = 64;

    private final Optional<RouteNet> network;
    private final NDManager manager;

    /** @param network the graph network, in {@code manager}; none for the simulator */
    public Placer(Optional<RouteNet> network, NDManager manager) {
        this.network = network;
        this.manager = manager;
    }

    @Override
    public String engine() {
        return network.isPresent() ? "graph network" : "what-if simulator";
    }

    /** Whether the graph network scores (else the simulator). */
    public boolean learned() {
        return network.isPresent();
    }

    @Override
    public List<RankedPlacement> rank(ClusterSpec cluster, List<JobSpec> running, Set<Integer> held, JobSpec job,
                                      long seed) {
        Topology topology = new Topology(cluster);
        PlacementSearch search = new PlacementSearch(topology, running, held);
        List<PlacementSearch.Candidate> candidates = new ArrayList<>(search.candidates(job.workers(),
                RANDOM_CANDIDATES, seed));
        List<Integer> own = job.workerGpus().stream().sorted().toList();
        if (search.free().containsAll(own) && candidates.stream().noneMatch(c -> c.gpus().equals(own))) {
            candidates.add(new PlacementSearch.Candidate("as given", own));
        }
        List<List<JobSpec>> placements = search.placements(job, candidates);
        List<SimulatedNetwork> nets = SimulatedNetwork.of(cluster, placements);
        List<SimulatedNetwork.Prediction> predicted = network.map(n -> GraphNetworkWorkflow.predict(n, manager, nets))
                .orElse(null);
        List<RankedPlacement> ranked = new ArrayList<>();
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
            PlacementSearch.Candidate c = candidates.get(i);
            ranked.add(new RankedPlacement(c.how(), c.gpus(), step[newJob], net.cost(step),
                    b < 0 ? Optional.empty() : Optional.of(net.topology().linkName(b)), b < 0 ? 0 : utilization[b]));
        }
        ranked.sort(Comparator.comparingDouble(RankedPlacement::cost));
        return ranked;
    }
}
