package dev.coxswain.graphmodels.model;

import ai.djl.ndarray.NDManager;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.graphmodels.gnn.FlowGraphBuilder;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.gnn.TorchEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Saves and loads the graph network ({@link RouteNet}) in the checked layout of {@link CheckedFile}, as the
 * straggler models are saved: the magic {@code COXSWAIN-GNN-MODEL}, the format version, the feature schema
 * ({@link FlowGraphBuilder#SCHEMA}), then sections of the provenance and the network's dimensions as UTF-8
 * properties text, and its weights in DJL's parameter form.
 */
public final class GraphModelFile {

    /**
     * Raise when the layout changes; files of another version are refused. Version 2: the network also reads out
     * each job's spread of exchange times.
     */
    public static final int FORMAT_VERSION = 2;

    private static final byte[] MAGIC = "COXSWAIN-GNN-MODEL".getBytes(StandardCharsets.US_ASCII);

    /** A trained network and where it came from. */
    public record Trained(RouteNet network, Provenance provenance) {
    }

    /** A network loaded on an engine manager of its own; closing it frees both. */
    public record Loaded(RouteNet network, NDManager manager) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GraphModelFile.class);

    private GraphModelFile() {
    }

    public static void save(Trained model, Path file) throws IOException {
        Map<String, String> props = ModelFile.provenanceProperties(model.provenance());
        RouteNet.Dimensions d = model.network().dimensions();
        props.put("network.linkWidth", Integer.toString(d.linkWidth()));
        props.put("network.flowWidth", Integer.toString(d.flowWidth()));
        props.put("network.hidden", Integer.toString(d.hidden()));
        props.put("network.rounds", Integer.toString(d.rounds()));
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            model.network().save(out);
        }
        CheckedFile.write(file, MAGIC, FORMAT_VERSION, model.provenance().featureSchema(), List.of(
                ModelFile.text(props).getBytes(StandardCharsets.UTF_8), weights.toByteArray()));
    }

    /**
     * The network in {@code model}, loaded into {@code manager} (not touched when the file is missing), or none
     * when the file is missing or cannot be read, which one log line says: the caller answers with {@code fallback}
     * instead (named in the line).
     */
    public static Optional<RouteNet> loadOr(Path model, NDManager manager, String fallback) {
        if (!Files.isRegularFile(model)) {
            LOG.warn("no graph model at {} ('coxswain models train --gnn' writes one); answering with {}", model,
                    fallback);
            return Optional.empty();
        }
        try {
            return Optional.of(load(model, manager).network());
        } catch (IOException | CoxswainException e) {
            LOG.warn("cannot use the graph model {}: {}; answering with {}", model, e.getMessage(), fallback);
            return Optional.empty();
        }
    }

    /**
     * The same on an engine of its own, one thread, libtorch unpacked under {@code djlCache}: started only when the
     * file is there, closed again when it is of no use; none, with one log line, also when the engine does not load.
     */
    public static Optional<Loaded> loadOr(Path model, Path djlCache, String fallback) {
        NDManager manager = null;
        try {
            if (Files.isRegularFile(model)) {
                manager = TorchEngine.manager(djlCache, 1);
            }
            Optional<RouteNet> network = loadOr(model, manager, fallback);
            if (network.isPresent()) {
                return Optional.of(new Loaded(network.get(), manager));
            }
        } catch (CoxswainException e) {
            LOG.warn("cannot use the graph model {}: {}; answering with {}", model, e.getMessage(), fallback);
        }
        if (manager != null) {
            manager.close();
        }
        return Optional.empty();
    }

    /**
     * Loads a network into {@code manager}, whose arrays then hold its weights.
     *
     * @throws ModelFormatException when the file is not a graph model of this format and feature schema, or is
     *                              damaged
     */
    public static Trained load(Path file, NDManager manager) throws IOException {
        String name = file.toString();
        CheckedFile.Reader in = new CheckedFile.Reader(file, MAGIC, "Coxswain graph network model");
        if (in.formatVersion != FORMAT_VERSION) {
            throw new ModelFormatException(name + " has graph model format version " + in.formatVersion
                    + "; this build reads version " + FORMAT_VERSION
                    + ". Train a new one with 'coxswain models train --gnn'.");
        }
        if (in.schema != FlowGraphBuilder.SCHEMA) {
            throw new ModelFormatException(name + " was trained on graph feature schema " + in.schema
                    + "; this build computes schema " + FlowGraphBuilder.SCHEMA + ". Retrain the model.");
        }
        in.checkCrc();
        try {
            Map<String, String> props = ModelFile.parse(new String(in.section(), StandardCharsets.UTF_8));
            RouteNet.Dimensions d = new RouteNet.Dimensions(
                    Integer.parseInt(ModelFile.need(props, "network.linkWidth", name)),
                    Integer.parseInt(ModelFile.need(props, "network.flowWidth", name)),
                    Integer.parseInt(ModelFile.need(props, "network.hidden", name)),
                    Integer.parseInt(ModelFile.need(props, "network.rounds", name)));
            if (d.linkWidth() != FlowGraphBuilder.LINK_WIDTH || d.flowWidth() != FlowGraphBuilder.FLOW_WIDTH) {
                throw new ModelFormatException(name + " reads " + d.linkWidth() + " link and " + d.flowWidth()
                        + " flow features; schema " + FlowGraphBuilder.SCHEMA + " has " + FlowGraphBuilder.LINK_WIDTH
                        + " and " + FlowGraphBuilder.FLOW_WIDTH);
            }
            RouteNet network = new RouteNet(manager, d, Float.parseFloat(props.getOrDefault("hyper.learningRate",
                    "0.001")));
            try (DataInputStream weights = new DataInputStream(new ByteArrayInputStream(in.section()))) {
                network.load(weights);
            }
            return new Trained(network, ModelFile.provenance(props, in.schema, name));
        } catch (IllegalArgumentException | IOException e) {
            throw new ModelFormatException(name + " is damaged: " + e.getMessage(), e);
        }
    }
}
