package dev.coxswain.app.gnn;

import dev.coxswain.whatif.synthetic.RandomClusters;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The graph network's data: random clusters from {@link RandomClusters}, each simulated for its truth. A case whose
 * cluster has no job that communicates (one GPU) is drawn again; every job runs throughout the simulation.
 */
public final class GraphNetworkCases {
    /** More steps than any job reaches in its simulation's horizon. */
    static final long STEPS = 1_000_000_000L;

    private GraphNetworkCases() {
    }

    /** {@code count} simulated cases of {@code minNodes} to {@code maxNodes} nodes, drawn from {@code seed}. */
    public static List<SimulatedNetwork.Simulated> draw(long seed, int count, int minNodes, int maxNodes) {
        SplittableRandom seeds = new SplittableRandom(seed);
        List<SimulatedNetwork.Simulated> cases = new ArrayList<>(count);
        while (cases.size() < count) {
            long s = seeds.nextLong();
            RandomClusters.Case c = RandomClusters.draw(s, minNodes, maxNodes, STEPS);
            if (!c.jobs().isEmpty()) {
                cases.add(new SimulatedNetwork(c.cluster(), c.jobs()).simulate(s));
            }
        }
        return cases;
    }
}
