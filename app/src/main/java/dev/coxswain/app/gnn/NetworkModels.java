package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.model.GraphModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Loading the graph network for the tools that can answer without it. */
public final class NetworkModels {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkModels.class);

    private NetworkModels() {
    }

    /**
     * The network in {@code model}, or none when it is missing or cannot be read, which one log line says: the
     * caller answers with {@code fallback} instead (named in the line).
     */
    public static Optional<RouteNet> loadOr(Path model, NDManager manager, String fallback) {
        if (!Files.isRegularFile(model)) {
            LOG.warn("no graph model at {} ('coxswain models train --gnn' writes one); answering with {}", model,
                    fallback);
            return Optional.empty();
        }
        try {
            return Optional.of(GraphModelFile.load(model, manager).network());
        } catch (IOException | CoxswainException e) {
            LOG.warn("cannot use the graph model {}: {}; answering with {}", model, e.getMessage(), fallback);
            return Optional.empty();
        }
    }
}
