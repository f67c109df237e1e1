package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.TorchEngine;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's placement engine ({@code /api/place}): the graph network in the model file, loaded on the first
 * request on an engine thread of its own; the what-if simulator when the file is missing or damaged or the engine
 * does not load, which one log line says. Safe for use from several threads (calls are serialised); close it to
 * free the network.
 */
public final class LivePlacer implements PlacementRanker, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivePlacer.class);

    private final Path model;
    private final Path djlCache;
    private NDManager manager;
    private Placer placer;

    public LivePlacer(Path model, Path djlCache) {
        this.model = model;
        this.djlCache = djlCache;
    }

    private Placer placer() {
        if (placer == null) {
            try {
                manager = TorchEngine.manager(djlCache, 1);
                placer = new Placer(NetworkModels.loadOr(model, manager, "the what-if simulator"), manager);
            } catch (RuntimeException e) {
                LOG.warn("the graph network's engine does not load ({}); placements are ranked by the what-if"
                        + " simulator", e.getMessage());
                placer = new Placer(Optional.empty(), null);
            }
        }
        return placer;
    }

    @Override
    public synchronized String engine() {
        return placer().engine();
    }

    @Override
    public synchronized List<RankedPlacement> rank(ClusterSpec cluster, List<JobSpec> running, Set<Integer> held,
                                                   JobSpec job, long seed) {
        return placer().rank(cluster, running, held, job, seed);
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
