package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.scenario.Engine;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.List;

/**
 * The graph network answering what-if questions in the simulator's place ({@code coxswain whatif run --engine gnn}):
 * for clusters too large for the simulator to answer quickly. It answers all-reduce jobs only.
 */
public final class GraphNetworkEngine implements Engine {
    private final RouteNet network;
    private final NDManager manager;

    public GraphNetworkEngine(RouteNet network, NDManager manager) {
        this.network = network;
        this.manager = manager;
    }

    @Override
    public String label() {
        return "graph network";
    }

    @Override
    public Outcome run(Topology topology, JobSpec job, long seed) {
        if (!(job.sync() instanceof SyncSpec.AllReduce)) {
            throw new IllegalArgumentException("the graph network answers all-reduce jobs; job " + job.name()
                    + " synchronises by " + job.sync() + " (use --engine sim)");
        }
        SimulatedNetwork net = new SimulatedNetwork(topology, List.of(job));
        SimulatedNetwork.Prediction p = GraphNetworkWorkflow.predict(network, manager, List.of(net)).getFirst();
        double step = p.stepSec()[0];
        double samples = job.localBatch().stream().mapToInt(Integer::intValue).sum() * (double) job.accumulationSteps();
        int b = p.bottlenecks()[0];
        return new Outcome(step, samples / step, b < 0 ? "none" : topology.linkName(b));
    }
}
