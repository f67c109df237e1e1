package dev.coxswain.app.gnn;

import dev.coxswain.graphmodels.model.GraphModelFile;
import dev.coxswain.whatif.place.PlacementRanker;
import dev.coxswain.whatif.place.RankedPlacement;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's placement engine ({@code /api/place}): the graph network in the model file, loaded on the first
 * request on an engine thread of its own; the what-if simulator when the file is missing or damaged or the engine
 * does not load, which one log line says ({@link GraphModelFile#loadOr(Path, Path, String)}). Safe for use from
 * several threads (calls are serialised); close it to free the network.
 */
public final class LivePlacer implements PlacementRanker, AutoCloseable {
    private final Path model;
    private final Path djlCache;
    private Optional<GraphModelFile.Loaded> loaded = Optional.empty();
    private Placer placer;

    public LivePlacer(Path model, Path djlCache) {
        this.model = model;
        this.djlCache = djlCache;
    }

    private Placer placer() {
        if (placer == null) {
            loaded = GraphModelFile.loadOr(model, djlCache, "the what-if simulator");
            placer = new Placer(loaded.map(GraphModelFile.Loaded::network),
                    loaded.map(GraphModelFile.Loaded::manager).orElse(null));
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
        loaded.ifPresent(GraphModelFile.Loaded::close);
    }
}
