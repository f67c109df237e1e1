package dev.coxswain.graphmodels.live;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.FlowGraph;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.model.GraphModelFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Each job's exchange time in networks read from snapshots: with the trained graph network when its model file is
 * usable, else with the max-min fair-share estimate ({@link FlowGraph#jobSharedSec()}), which one log line says.
 * Safe for use from several threads (calls are serialised); close it to free the network.
 */
public final class NetworkPredictor implements AutoCloseable {
    private final NDManager manager;
    private final RouteNet network;
    private final String model;

    private NetworkPredictor(NDManager manager, RouteNet network, String model) {
        this.manager = manager;
        this.network = network;
        this.model = model;
    }

    /** The fair-share estimate alone, needing no engine. */
    public static NetworkPredictor fairShare() {
        return new NetworkPredictor(null, null, "max-min fair share (no graph model)");
    }

    /**
     * The graph network in {@code modelFile}, run on one engine thread (libtorch unpacked under {@code djlCache});
     * the fair-share estimate when the file is missing, damaged, of another schema, or the engine does not load.
     */
    public static NetworkPredictor load(Path modelFile, Path djlCache) {
        return GraphModelFile.loadOr(modelFile, djlCache, "the max-min fair-share estimate")
                .map(l -> new NetworkPredictor(l.manager(), l.network(), "graph network " + modelFile))
                .orElseGet(NetworkPredictor::fairShare);
    }

    /** How it predicts, in words: the model file, or the fair-share estimate. */
    public String model() {
        return model;
    }

    /** Whether a trained graph network answers (else the fair-share estimate). */
    public boolean learned() {
        return network != null;
    }

    /** Each job's exchange time per step, in seconds, in each of {@code graphs}: one pass over them all. */
    public synchronized List<double[]> exchangeSec(List<FlowGraph> graphs) {
        List<double[]> out = new ArrayList<>(graphs.size());
        if (network == null) {
            graphs.forEach(g -> out.add(g.jobSharedSec()));
            return out;
        }
        for (float[] sec : network.predictExchangeSec(graphs, manager)) {
            double[] wide = new double[sec.length];
            for (int i = 0; i < sec.length; i++) {
                wide[i] = sec[i];
            }
            out.add(wide);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
