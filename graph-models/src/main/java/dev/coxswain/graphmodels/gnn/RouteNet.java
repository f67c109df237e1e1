package dev.coxswain.graphmodels.gnn;

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

import java.util.List;

/**
 * A graph network over flows and links in the manner of RouteNet: each link and each flow has a state; for a few
 * rounds every link sums the states of the flows that cross it and updates its own, then every flow sums the states
 * of the links it crosses and updates its own (the sums are products with the sparse incidence, as DJL has no
 * scatter-add). The same weights serve every round and every link or flow, so a model trained on small networks
 * reads larger ones. It reads out each link's utilisation in [0, 1].
 *
 * <p>Not thread-safe. Its parameters live in the manager it was made with; close that manager to free them.
 */
public final class RouteNet {
    private final NDManager manager;
    private final int rounds;
    private final Block linkIn;
    private final Block flowIn;
    private final Block linkUpdate;
    private final Block flowUpdate;
    private final Block readout;
    private final List<Block> blocks;
    private final Optimizer optimizer;

    /**
     * @param hidden the width of the link and flow states
     * @param rounds how many times links and flows exchange states
     */
    public RouteNet(NDManager manager, int linkWidth, int flowWidth, int hidden, int rounds, float learningRate) {
        if (hidden < 1 || rounds < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("hidden and rounds must be at least 1 and the learning rate positive");
        }
        this.manager = manager;
        this.rounds = rounds;
        this.linkIn = dense(hidden);
        this.flowIn = dense(hidden);
        this.linkUpdate = dense(hidden);
        this.flowUpdate = dense(hidden);
        this.readout = new SequentialBlock().add(dense(hidden)).add(Activation::relu).add(dense(1));
        linkIn.initialize(manager, DataType.FLOAT32, new Shape(1, linkWidth));
        flowIn.initialize(manager, DataType.FLOAT32, new Shape(1, flowWidth));
        linkUpdate.initialize(manager, DataType.FLOAT32, new Shape(1, 2L * hidden));
        flowUpdate.initialize(manager, DataType.FLOAT32, new Shape(1, 2L * hidden));
        readout.initialize(manager, DataType.FLOAT32, new Shape(1, hidden));
        this.blocks = List.of(linkIn, flowIn, linkUpdate, flowUpdate, readout);
        this.optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    }

    private static Block dense(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** Each link's predicted utilisation, in the graph's order; the arrays belong to {@code scope}. */
    public NDArray utilization(FlowGraph graph, NDManager scope, boolean training) {
        ParameterStore store = new ParameterStore(scope, false);
        NDArray flowsOverLinks = graph.flowsOverLinks().sparse(scope);
        NDArray linksUnderFlows = graph.flowsOverLinks().transpose().sparse(scope);
        NDArray links = apply(linkIn, store, graph.links(scope), training).tanh();
        NDArray flows = apply(flowIn, store, graph.flows(scope), training).tanh();
        for (int r = 0; r < rounds; r++) {
            NDArray toLinks = linksUnderFlows.matMul(flows);
            links = apply(linkUpdate, store, NDArrays.concat(new NDList(links, toLinks), 1), training).tanh();
            NDArray toFlows = flowsOverLinks.matMul(links);
            flows = apply(flowUpdate, store, NDArrays.concat(new NDList(flows, toFlows), 1), training).tanh();
        }
        return Activation.sigmoid(apply(readout, store, links, training)).reshape(-1);
    }

    /**
     * One step of Adam on the mean squared error of the links' utilisation over {@code graphs}; returns the loss
     * before the step.
     *
     * @param targets each graph's true utilisation per link
     */
    public double trainStep(List<FlowGraph> graphs, List<float[]> targets) {
        if (graphs.size() != targets.size() || graphs.isEmpty()) {
            throw new IllegalArgumentException(graphs.size() + " graphs but " + targets.size() + " targets");
        }
        for (int i = 0; i < graphs.size(); i++) {
            if (targets.get(i).length != graphs.get(i).linkFeatures().length) {
                throw new IllegalArgumentException("graph " + i + " has " + graphs.get(i).linkFeatures().length
                        + " links but " + targets.get(i).length + " targets");
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            double loss;
            try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                NDArray total = null;
                for (int i = 0; i < graphs.size(); i++) {
                    NDArray predicted = utilization(graphs.get(i), scope, true);
                    NDArray error = predicted.sub(scope.create(targets.get(i))).square().mean();
                    total = total == null ? error : total.add(error);
                }
                NDArray mean = total.div(graphs.size());
                loss = mean.getFloat();
                gc.backward(mean);
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
}
