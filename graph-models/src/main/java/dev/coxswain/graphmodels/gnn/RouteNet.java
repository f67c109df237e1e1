package dev.coxswain.graphmodels.gnn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A graph network over flows and links in the manner of RouteNet-Fermi: each link and each flow has a state; for a
 * few rounds every link averages the states of the flows that cross it and updates its own, then every flow
 * averages the states of the links it crosses and updates its own (products with the sparse incidence, as DJL has
 * no scatter-add; averages, so that a link crossed by many more flows than any seen in training reads as familiar).
 * The same weights serve every round and every link or flow, so a model trained on small networks reads larger ones.
 * It reads out a correction to each flow's intermittent contention estimate ({@link FlowGraphBuilder}), bounded by
 * how much sharing could slow the flow at most; a job's flows' times summed are its exchange time. What each link
 * carries follows from the jobs' step times ({@link FlowGraph#linkUtilization}).
 *
 * <p>Not thread-safe. Its parameters live in the manager it was made with; close that manager to free them.
 */
public final class RouteNet {

    /** A network's dimensions: what a model file must match. */
    public record Dimensions(int linkWidth, int flowWidth, int hidden, int rounds) {
        public Dimensions {
            if (linkWidth < 1 || flowWidth < 1 || hidden < 1 || rounds < 1) {
                throw new IllegalArgumentException("widths, hidden and rounds must be at least 1, got " + linkWidth
                        + ", " + flowWidth + ", " + hidden + ", " + rounds);
            }
        }
    }

    /** The most a flow's predicted time may move from its intermittent estimate, as a share of its sharing range. */
    private static final float MAX_CORRECTION = 0.5f;

    private final NDManager manager;
    private final Dimensions dimensions;
    private final Block linkIn;
    private final Block flowIn;
    private final Block linkUpdate;
    private final Block flowUpdate;
    private final Block flowOut;
    private final List<Block> blocks;
    private final Optimizer optimizer;

    /** A network to read with, or to train at a fixed learning rate. */
    public RouteNet(NDManager manager, Dimensions dimensions, float learningRate) {
        this(manager, dimensions, learningRate, 0);
    }

    /**
     * @param decaySteps training steps over which the learning rate falls from {@code learningRate} to a hundredth
     *                   of it along a cosine, then stays; 0: it stays fixed
     */
    public RouteNet(NDManager manager, Dimensions dimensions, float learningRate, int decaySteps) {
        if (!(learningRate > 0) || decaySteps < 0) {
            throw new IllegalArgumentException("the learning rate must be positive and the decay steps not negative,"
                    + " got " + learningRate + " and " + decaySteps);
        }
        this.manager = manager;
        this.dimensions = dimensions;
        int hidden = dimensions.hidden();
        this.linkIn = dense(hidden);
        this.flowIn = dense(hidden);
        this.linkUpdate = dense(hidden);
        this.flowUpdate = dense(hidden);
        this.flowOut = new SequentialBlock().add(dense(hidden)).add(Activation::relu)
                .add(dense(1 + GraphSample.SPREAD_POINTS));
        linkIn.initialize(manager, DataType.FLOAT32, new Shape(1, dimensions.linkWidth()));
        flowIn.initialize(manager, DataType.FLOAT32, new Shape(1, dimensions.flowWidth()));
        for (Block b : List.of(linkUpdate, flowUpdate)) {
            b.initialize(manager, DataType.FLOAT32, new Shape(1, 2L * hidden));
        }
        flowOut.initialize(manager, DataType.FLOAT32, new Shape(1, hidden));
        this.blocks = List.of(linkIn, flowIn, linkUpdate, flowUpdate, flowOut);
        Tracker rate = decaySteps == 0 ? Tracker.fixed(learningRate) : Tracker.cosine().setBaseValue(learningRate)
                .optFinalValue(learningRate / 100).setMaxUpdates(decaySteps).build();
        this.optimizer = Optimizer.adam().optLearningRateTracker(rate).build();
    }

    public Dimensions dimensions() {
        return dimensions;
    }

    private static Block dense(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Reads {@code graph}: every job's exchange time per step, in the graph's order, and its spread points as
     * logarithms (jobs x {@link GraphSample#SPREAD_POINTS}, each row's exponentials averaging 1); the arrays belong to
     * {@code scope}. The links are read in {@code classes}: any classes of links with equal states give the same
     * answer.
     */
    NDList forward(FlowGraph graph, FlowGraph.LinkClasses classes, NDManager scope, boolean training) {
        if (graph.linkWidth() != dimensions.linkWidth() || graph.flowWidth() != dimensions.flowWidth()) {
            throw new IllegalArgumentException("the graph has " + graph.linkWidth() + " link and "
                    + graph.flowWidth() + " flow features; this network reads " + dimensions.linkWidth() + " and "
                    + dimensions.flowWidth());
        }
        ParameterStore store = new ParameterStore(scope, false);
        // Each flow averages over the links it crosses (a class as often as its links are crossed); each class, as
        // its first link, over the flows that cross it.
        Incidence crossings = graph.flowsOverLinks();
        int[] row = crossings.row();
        int[] column = crossings.column();
        int[] classColumn = new int[column.length];
        int kept = 0;
        for (int e = 0; e < column.length; e++) {
            classColumn[e] = classes.of()[column[e]];
            if (classes.representatives()[classColumn[e]] == column[e]) {
                kept++;
            }
        }
        int[] underRow = new int[kept];
        int[] underColumn = new int[kept];
        for (int e = 0, k = 0; e < column.length; e++) {
            if (classes.representatives()[classColumn[e]] == column[e]) {
                underRow[k] = classColumn[e];
                underColumn[k++] = row[e];
            }
        }
        NDArray flowsOverLinks = new Incidence(graph.flows(), classes.count(), row, classColumn).mean(scope);
        NDArray linksUnderFlows = new Incidence(classes.count(), graph.flows(), underRow, underColumn).mean(scope);
        NDArray links = apply(linkIn, store, graph.links(scope, classes.representatives()), training).tanh();
        NDArray flows = apply(flowIn, store, graph.flows(scope), training).tanh();
        for (int r = 0; r < dimensions.rounds(); r++) {
            NDArray toLinks = linksUnderFlows.matMul(flows);
            links = apply(linkUpdate, store, NDArrays.concat(new NDList(links, toLinks), 1), training).tanh();
            NDArray toFlows = flowsOverLinks.matMul(links);
            flows = apply(flowUpdate, store, NDArrays.concat(new NDList(flows, toFlows), 1), training).tanh();
        }
        NDArray out = apply(flowOut, store, flows, training);
        // Each flow's time is its intermittent estimate, moved by up to MAX_CORRECTION of its sharing range
        // (log(shared / alone)) either way: a flow that meets no other job keeps its time alone.
        NDArray correction = out.get(":, 0").tanh().mul(MAX_CORRECTION).mul(graph.sharingRange(scope));
        NDArray flowSec = correction.add(graph.logIntermittentSec(scope)).exp().reshape(-1, 1);
        NDArray jobsOverFlows = graph.jobsOverFlows().sparse(scope);
        NDArray exchange = jobsOverFlows.matMul(flowSec);
        // A job's spread: its flows' spreads weighted by their times, as a softmax over the points (times their
        // number, so they average 1). A job without flows reads 0 everywhere: every point 1.
        NDArray logits = jobsOverFlows.matMul(out.get(":, 1:").mul(flowSec)).div(exchange.add(1e-12f));
        NDArray logSpread = logits.logSoftmax(1).add((float) Math.log(GraphSample.SPREAD_POINTS));
        return new NDList(exchange.reshape(-1), logSpread);
    }

    /**
     * Each job's exchange time per step in each of {@code graphs}, read as one graph ({@link FlowGraph#union}): one
     * pass for them all. One array per graph, in order; the arrays on the heap, the engine's freed.
     */
    public List<float[]> predictExchangeSec(List<FlowGraph> graphs, NDManager manager) {
        return predict(graphs, manager).stream().map(Exchanges::exchangeSec).toList();
    }

    /** The same, with each job's spread. */
    public List<Exchanges> predict(List<FlowGraph> graphs, NDManager manager) {
        float[] all;
        float[] allSpread;
        try (NDManager scope = manager.newSubManager()) {
            FlowGraph union = FlowGraph.union(graphs);
            NDList out = forward(union, union.linkClasses(), scope, false);
            all = out.get(0).toFloatArray();
            allSpread = out.get(1).exp().toFloatArray();
        }
        List<Exchanges> out = new ArrayList<>(graphs.size());
        int j = 0;
        for (FlowGraph g : graphs) {
            out.add(new Exchanges(Arrays.copyOfRange(all, j, j + g.jobs()), Arrays.copyOfRange(allSpread,
                    j * GraphSample.SPREAD_POINTS, (j + g.jobs()) * GraphSample.SPREAD_POINTS)));
            j += g.jobs();
        }
        return out;
    }

    /**
     * One step of Adam over {@code batch}, read as one graph: over the jobs that communicate, the mean squared error
     * of the logarithm of the exchange times, plus that of the logarithms of their spread points. Returns the loss
     * before the step.
     */
    public double trainStep(List<GraphSample> batch) {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("an empty batch");
        }
        FlowGraph graph = FlowGraph.union(batch.stream().map(GraphSample::graph).toList());
        float[] exchange = concat(batch.stream().map(GraphSample::exchangeSec).toList());
        float[] spread = concat(batch.stream().map(GraphSample::spread).toList());
        try (NDManager scope = manager.newSubManager()) {
            double loss;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray truth = scope.create(exchange);
                NDArray communicating = truth.gt(0);
                if (!communicating.any().getBoolean()) {
                    throw new IllegalArgumentException("no job in the batch communicates: nothing to learn from");
                }
                NDList predicted = forward(graph, graph.linkClasses(), scope, true);
                NDArray exchangeError = predicted.get(0).booleanMask(communicating).log()
                        .sub(truth.booleanMask(communicating).log());
                // A job's spread points are a row: weighted by whether it communicates, as masks select elements.
                NDArray weight = communicating.toType(DataType.FLOAT32, false).reshape(-1, 1);
                NDArray spreadError = predicted.get(1)
                        .sub(scope.create(spread).reshape(-1, GraphSample.SPREAD_POINTS).log());
                NDArray total = exchangeError.square().mean().add(spreadError.square().mul(weight).sum()
                        .div(weight.sum().mul(GraphSample.SPREAD_POINTS)));
                loss = total.getFloat();
                gc.backward(total);
            }
            for (Block b : blocks) {
                for (Pair<String, Parameter> p : b.getParameters()) {
                    NDArray weight = p.getValue().getArray();
                    optimizer.update(p.getValue().getId(), weight, weight.getGradient());
                }
            }
            return loss;
        }
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Writes the weights (not the dimensions: the caller records them). */
    public void save(DataOutputStream out) throws IOException {
        for (Block b : blocks) {
            b.saveParameters(out);
        }
    }

    /**
     * Reads weights written by {@link #save} for a network of these dimensions.
     *
     * @throws IOException when they are not such weights
     */
    public void load(DataInputStream in) throws IOException {
        try {
            for (Block b : blocks) {
                b.loadParameters(manager, in);
            }
        } catch (MalformedModelException | IllegalArgumentException e) {
            throw new IOException("weights that do not fit a network of " + dimensions + ": " + e.getMessage(), e);
        }
    }
}
