package dev.coxswain.app.gnn;

import ai.djl.ndarray.NDManager;
import dev.coxswain.graphmodels.gnn.Exchanges;
import dev.coxswain.graphmodels.gnn.FlowGraph;
import dev.coxswain.graphmodels.gnn.FlowGraphBuilder;
import dev.coxswain.graphmodels.gnn.GraphSample;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.gnn.RouteNetTraining;
import dev.coxswain.graphmodels.model.GraphModelFile;
import dev.coxswain.graphmodels.model.Provenance;
import dev.coxswain.whatif.engine.Collectives;
import dev.coxswain.whatif.engine.Simulation;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains the graph network on simulated random clusters ({@code coxswain models train --gnn}) and measures it
 * against the simulator on held-out clusters four to eight times larger ({@code coxswain models eval --gnn}).
 */
public final class GraphNetworkWorkflow {

    /**
     * What to train on and how.
     *
     * @param cases    simulated clusters to train on
     * @param maxNodes the largest of them; held-out clusters are 4-8 times larger
     */
    public record TrainRequest(int cases, int maxNodes, long seed, int hidden, int rounds, float learningRate,
                               RouteNetTraining.Settings settings, String codeVersion) {
        Map<String, String> hyperParameters() {
            return Map.of("cases", Integer.toString(cases), "maxNodes", Integer.toString(maxNodes),
                    "hidden", Integer.toString(hidden), "rounds", Integer.toString(rounds),
                    "learningRate", Float.toString(learningRate), "learningRateSchedule",
                    "cosine to a hundredth over the training steps", "epochs", Integer.toString(settings.epochs()),
                    "batch", Integer.toString(settings.batch()));
        }
    }

    /** A trained network with the time its data and its training took. */
    public record Trained(GraphModelFile.Trained model, double dataSec, double trainSec,
                          List<RouteNetTraining.Epoch> epochs) {
    }

    private final Clock clock;

    public GraphNetworkWorkflow(Clock clock) {
        this.clock = clock;
    }

    /** Draws and simulates the cases, and trains a network on them in {@code manager}. */
    public Trained train(TrainRequest request, NDManager manager, Consumer<String> log) {
        long t0 = System.nanoTime();
        List<GraphSample> samples = GraphNetworkCases.draw(request.seed(), request.cases(), 1, request.maxNodes())
                .stream().map(SimulatedNetwork.Simulated::sample).toList();
        double dataSec = (System.nanoTime() - t0) / 1e9;
        log.accept(String.format(Locale.ROOT, "training data: %d simulated random clusters of 1-%d nodes (seed %d)"
                + " in %.1f s", samples.size(), request.maxNodes(), request.seed(), dataSec));
        manager.getEngine().setRandomSeed((int) request.seed());
        int steps = request.settings().epochs() * ((samples.size() + request.settings().batch() - 1)
                / request.settings().batch());
        RouteNet network = new RouteNet(manager, new RouteNet.Dimensions(FlowGraphBuilder.LINK_WIDTH,
                FlowGraphBuilder.FLOW_WIDTH, request.hidden(), request.rounds()), request.learningRate(), steps);
        long t1 = System.nanoTime();
        List<RouteNetTraining.Epoch> epochs = RouteNetTraining.train(network, samples, request.settings(),
                e -> log.accept(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f (%.0f s)", e.epoch(),
                        request.settings().epochs(), e.loss(), (System.nanoTime() - t1) / 1e9)));
        double trainSec = (System.nanoTime() - t1) / 1e9;
        Provenance provenance = new Provenance(FlowGraphBuilder.SCHEMA, RouteNetTraining.hash(samples),
                "SYNTHETIC: " + samples.size() + " what-if simulations of random fat trees of 1-" + request.maxNodes()
                        + " nodes with random all-reduce job mixes (whatif RandomClusters, seed " + request.seed()
                        + ")", request.seed(), request.hyperParameters(), request.codeVersion(), clock.instant(),
                samples.size());
        return new Trained(new GraphModelFile.Trained(network, provenance), dataSec, trainSec, epochs);
    }

    /** Networks the graph network reads as one graph at a time: a bound on the memory a batch of large graphs takes. */
    static final int BATCH = 64;

    /**
     * The benchmark: {@code cases} held-out clusters of four to eight times the nodes of the largest the model
     * trained on, simulated and predicted; then placement on {@code placementCases} more, contended
     * ({@link PlacementBenchmark}), the time to
     * plan a placement on a 1,024-GPU cluster, and the network as a correction of the calibrated model on the Pollux
     * traces under {@code polluxData} ({@link NetworkCorrection}).
     */
    public GraphNetworkReport eval(GraphModelFile.Trained model, NDManager manager, int cases, int placementCases,
                                   long seed, Path polluxData) {
        String trained = model.provenance().hyperParameters().get("maxNodes");
        if (trained == null) {
            throw new IllegalArgumentException("the model does not record the largest cluster it trained on"
                    + " (hyper-parameter maxNodes); retrain it with 'coxswain models train --gnn'");
        }
        int maxTrained = Integer.parseInt(trained);
        int minNodes = 4 * maxTrained;
        int maxNodes = 8 * maxTrained;
        long t0 = System.nanoTime();
        List<SimulatedNetwork.Simulated> heldOut = GraphNetworkCases.draw(seed, cases, minNodes, maxNodes);
        double dataSec = (System.nanoTime() - t0) / 1e9;
        Accuracy accuracy = accuracy(score(model.network(), manager, heldOut));
        PlacementBenchmark.Result placement = PlacementBenchmark.run(model.network(), manager,
                PlacementBenchmark.contendedCases(seed + 1, placementCases, minNodes, maxNodes), seed);
        double plan = PlacementBenchmark.plan1024(model.network(), manager, seed);
        List<NetworkCorrection.Trace> pollux = NetworkCorrection.run(model.network(), manager, polluxData, 1);
        return new GraphNetworkReport(model.provenance(), maxTrained, minNodes, maxNodes, dataSec, accuracy,
                placement, plan, pollux);
    }

    /** What the network predicts for one simulated case, next to the truth. */
    record Scored(SimulatedNetwork.Simulated truth, SimulatedNetwork.Prediction predicted) {
    }

    /**
     * Predicts every case: each job's exchange time, its step and communication time by the simulator's overlap
     * rule, and from the step times what each link carries.
     */
    static List<Scored> score(RouteNet network, NDManager manager, List<SimulatedNetwork.Simulated> cases) {
        List<SimulatedNetwork.Prediction> predicted = predict(network, manager,
                cases.stream().map(SimulatedNetwork.Simulated::network).toList());
        List<Scored> out = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            out.add(new Scored(cases.get(i), predicted.get(i)));
        }
        return out;
    }

    /** The network's predictions for {@code nets}, {@link #BATCH} read as one graph at a time. */
    static List<SimulatedNetwork.Prediction> predict(RouteNet network, NDManager manager,
                                                     List<SimulatedNetwork> nets) {
        List<Exchanges> exchanges = exchanges(network, manager, nets);
        List<SimulatedNetwork.Prediction> out = new ArrayList<>(nets.size());
        for (int i = 0; i < nets.size(); i++) {
            out.add(nets.get(i).predicted(exchanges.get(i)));
        }
        return out;
    }

    /** Each job's exchanges in each of {@code nets}, {@link #BATCH} networks read as one graph at a time. */
    static List<Exchanges> exchanges(RouteNet network, NDManager manager, List<SimulatedNetwork> nets) {
        List<Exchanges> out = new ArrayList<>(nets.size());
        for (int from = 0; from < nets.size(); from += BATCH) {
            out.addAll(network.predict(nets.subList(from, Math.min(nets.size(), from + BATCH)).stream()
                    .map(SimulatedNetwork::graph).toList(), manager));
        }
        return out;
    }

    /**
     * The accuracy figures over held-out cases.
     *
     * @param commMape        mean absolute percentage error of each job's communication time per step
     * @param idleCommMape    the same for the idle-network estimate (each job's exchange as if alone)
     * @param linkUtilMae     mean absolute error of the utilisation of links that carry a flow
     * @param offeredUtilMae  the same for the offered load (what each link would carry at idle-network pace)
     * @param bottleneckTop1  share of jobs whose predicted bottleneck is one the simulator names (it names every
     *                        link that ties, as the equal hops of a ring do)
     * @param ruleTop1        the same with the simulator's own step times in place of the predicted ones (they break
     *                        ties between links the contention estimate credits alike)
     */
    public record Accuracy(int cases, int jobs, int links, double commMape, double stepMape, double idleCommMape,
                           double idleStepMape, double linkUtilMae, double offeredUtilMae, double bottleneckTop1,
                           double ruleTop1) {
    }

    /** Jobs that finished fewer steps in the horizon are too few to judge. */
    static final int MIN_STEPS = 5;

    static Accuracy accuracy(List<Scored> scored) {
        double comm = 0;
        double step = 0;
        double idleComm = 0;
        double idleStep = 0;
        double util = 0;
        double offered = 0;
        int jobs = 0;
        int links = 0;
        int top1 = 0;
        int ruleTop1 = 0;
        for (Scored s : scored) {
            SimulatedNetwork net = s.truth().network();
            Simulation.Result r = s.truth().result();
            FlowGraph g = net.graph();
            double[] offeredLoad = FlowGraphBuilder.offeredLoad(g);
            int[] linkIds = net.linkIds();
            for (int row = 0; row < g.links(); row++) {
                float truth = s.truth().sample().utilization()[row];
                util += Math.abs(s.predicted().utilization()[linkIds[row]] - truth);
                offered += Math.abs(Math.min(1, offeredLoad[row]) - truth);
                links++;
            }
            double[] alone = g.jobAloneSec();
            int[] ruled = g.bottlenecks(SimulatedNetwork.stepSec(r));
            for (int j = 0; j < g.jobs(); j++) {
                Simulation.JobResult jr = r.jobs().get(j);
                if (jr.meanExchangeSec() <= 0 || jr.steps() < MIN_STEPS) {
                    continue;
                }
                jobs++;
                Collectives.Timing predicted = s.predicted().timings().get(j);
                Collectives.Timing idle = net.timing(j, alone[j]);
                comm += ape(predicted.commSec(), jr.meanCommSec());
                step += ape(predicted.stepSec(), jr.meanStepSec());
                idleComm += ape(idle.commSec(), jr.meanCommSec());
                idleStep += ape(idle.stepSec(), jr.meanStepSec());
                if (jr.bottlenecks().contains(s.predicted().bottlenecks()[j])) {
                    top1++;
                }
                if (ruled[j] >= 0 && jr.bottlenecks().contains(linkIds[ruled[j]])) {
                    ruleTop1++;
                }
            }
        }
        return new Accuracy(scored.size(), jobs, links, 100 * comm / jobs, 100 * step / jobs, 100 * idleComm / jobs,
                100 * idleStep / jobs, util / links, offered / links, (double) top1 / jobs, (double) ruleTop1 / jobs);
    }

    private static double ape(double predicted, double truth) {
        return Math.abs(predicted - truth) / truth;
    }
}
