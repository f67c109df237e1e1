package dev.coxswain.graphmodels.gnn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The graph network learns from examples where sharing puts a flow's time, a quantity that depends on its
 * neighbours' features and not its own: on random networks, each flow takes its time alone times the range sharing
 * allows raised to an exponent set by the links it crosses: the mean demand of the flows crossing each, more on thin
 * links. It corrects an estimate (the best constant exponent, standing in for the intermittent estimate) and predicts
 * flows' times in networks it has not seen, and in networks four times larger than those it trained on, far better
 * than the estimate; and how each flow's time spreads, far better than taking it as always the same.
 */
class RouteNetTest {

    /**
     * A random network, each flow's (each one-flow job's) true time, and its spread: wider the more sharing slows it.
     */
    private record Example(FlowGraph graph, float[] exchangeSec, float[] bestConstant, float[] spread) {
    }

    /** The exponent of the best constant guess, fitted on the training examples. */
    private static final float CONSTANT = 0.5f;

    private static Example example(SplittableRandom r, int links, int flows) {
        float[] capacity = new float[links];
        float[][] linkFeatures = new float[links][];
        for (int l = 0; l < links; l++) {
            capacity[l] = 1 + r.nextInt(4);
            linkFeatures[l] = new float[]{capacity[l] / 4};
        }
        float[] demand = new float[flows];
        int[][] routes = new int[flows][];
        float[][] flowFeatures = new float[flows][];
        List<Integer> rows = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        float[] load = new float[links];
        int[] crossings = new int[links];
        for (int f = 0; f < flows; f++) {
            demand[f] = (float) r.nextDouble();
            flowFeatures[f] = new float[]{demand[f]};
            int first = r.nextInt(links);
            routes[f] = IntStream.range(0, 1 + r.nextInt(3)).map(h -> (first + h) % links).toArray();
            for (int l : routes[f]) {
                rows.add(f);
                columns.add(l);
                load[l] += demand[f];
                crossings[l]++;
            }
        }
        float[] alone = new float[flows];
        float[] shared = new float[flows];
        float[] truth = new float[flows];
        float[] constant = new float[flows];
        float[] spread = new float[flows * GraphSample.SPREAD_POINTS];
        for (int f = 0; f < flows; f++) {
            alone[f] = 1;
            double exponent = 0;
            int busiest = 0;
            for (int l : routes[f]) {
                exponent += 0.7 * (load[l] / crossings[l]) * (1 + 1 / capacity[l]) / routes[f].length;
                busiest = Math.max(busiest, crossings[l]);
            }
            shared[f] = busiest;
            truth[f] = (float) Math.pow(shared[f], exponent);
            constant[f] = (float) Math.pow(shared[f], CONSTANT);
            double half = 0.4 * exponent;
            for (int k = 0; k < GraphSample.SPREAD_POINTS; k++) {
                spread[f * GraphSample.SPREAD_POINTS + k] = (float) (1 + half * (2.0 * k / 3 - 1));
            }
        }
        int[] each = IntStream.range(0, flows).toArray();
        double[] capacities = new double[links];
        Arrays.fill(capacities, 1);
        return new Example(new FlowGraph(linkFeatures, flowFeatures, new Incidence(flows, links,
                rows.stream().mapToInt(Integer::intValue).toArray(),
                columns.stream().mapToInt(Integer::intValue).toArray()), alone, shared, constant,
                new Incidence(flows, flows, each, each), capacities, new double[flows],
                IntStream.range(0, links).toArray(), new double[rows.size()]), truth, constant, spread);
    }

    private static double mape(RouteNet net, NDManager m, List<Example> examples) {
        double sum = 0;
        int n = 0;
        for (Example e : examples) {
            float[] predicted = net.predictExchangeSec(List.of(e.graph()), m).getFirst();
            for (int f = 0; f < predicted.length; f++) {
                sum += Math.abs(predicted[f] - e.exchangeSec()[f]) / e.exchangeSec()[f];
                n++;
            }
        }
        return sum / n;
    }

    /** Mean absolute error of the logarithm of each spread point: the network's, or with {@code even} all 1. */
    private static double spreadError(RouteNet net, NDManager m, List<Example> examples, boolean even) {
        double sum = 0;
        int n = 0;
        for (Example e : examples) {
            float[] predicted = net.predict(List.of(e.graph()), m).getFirst().spread();
            for (int i = 0; i < predicted.length; i++) {
                sum += Math.abs(Math.log((even ? 1 : predicted[i]) / e.spread()[i]));
                n++;
            }
        }
        return sum / n;
    }

    private static double constantMape(List<Example> examples) {
        double sum = 0;
        int n = 0;
        for (Example e : examples) {
            for (int f = 0; f < e.exchangeSec().length; f++) {
                sum += Math.abs(e.bestConstant()[f] - e.exchangeSec()[f]) / e.exchangeSec()[f];
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void learnsWhereSharingPutsAFlowAndReadsNetworksLargerThanItTrainedOn() {
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        try (NDManager m = TorchEngine.manager(home.resolve("djl"))) {
            Engine.getEngine("PyTorch").setRandomSeed(13);
            SplittableRandom r = new SplittableRandom(13);
            List<Example> train = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                train.add(example(r, 8 + r.nextInt(8), 6 + r.nextInt(10)));
            }
            List<Example> unseen = new ArrayList<>();
            List<Example> larger = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                unseen.add(example(r, 8 + r.nextInt(8), 6 + r.nextInt(10)));
                larger.add(example(r, 48 + r.nextInt(16), 36 + r.nextInt(24)));
            }
            RouteNet net = new RouteNet(m, new RouteNet.Dimensions(1, 1, 16, 3), 0.01f);
            double before = mape(net, m, unseen);
            RouteNetTraining.train(net, train.stream().map(e -> new GraphSample(e.graph(),
                            new float[e.graph().links()], e.exchangeSec(), e.spread())).toList(),
                    new RouteNetTraining.Settings(50, 8, 13), epoch -> { });

            double unseenMape = mape(net, m, unseen);
            double largerMape = mape(net, m, larger);
            System.out.printf("RouteNetTest: MAPE before %.3f; unseen %.3f (best constant %.3f); 4x larger %.3f"
                    + " (best constant %.3f)%n", before, unseenMape, constantMape(unseen), largerMape,
                    constantMape(larger));
            assertThat(unseenMape).as("unseen networks").isLessThan(0.5 * constantMape(unseen));
            assertThat(largerMape).as("networks four times larger").isLessThan(0.5 * constantMape(larger));
            for (List<Example> examples : List.of(unseen, larger)) {
                assertThat(spreadError(net, m, examples, false)).as("spread, against none")
                        .isLessThan(0.5 * spreadError(net, m, examples, true));
            }
        }
    }

    @Test
    void aJobThatMeetsNoOtherKeepsItsTimeAloneWhateverTheWeights() {
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        try (NDManager m = TorchEngine.manager(home.resolve("djl"))) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            FlowGraphBuilder b = new FlowGraphBuilder();
            b.link(LinkType.NIC, 10e9);
            b.link(LinkType.NIC, 10e9);
            int a = b.job(1.0);
            int c = b.job(0.5);
            b.flow(a, new int[]{0}, 1e9, Double.POSITIVE_INFINITY, 0.001);
            b.flow(c, new int[]{1, 1}, 1e9, Double.POSITIVE_INFINITY, 0);
            RouteNet untrained = new RouteNet(m, new RouteNet.Dimensions(FlowGraphBuilder.LINK_WIDTH,
                    FlowGraphBuilder.FLOW_WIDTH, 8, 2), 0.01f);
            // Nothing to correct: 1 GB at 10 GB/s plus latency; 1 GB a hop, two hops sharing one link.
            assertThat(untrained.predictExchangeSec(List.of(b.build()), m).getFirst())
                    .containsExactly(new float[]{0.101f, 0.2f}, within(1e-6f));
        }
    }

    @Test
    void readsLinksItCannotTellApartOnceAndAnswersAsIfItReadEach() {
        Path home = Optional.ofNullable(System.getenv("COXSWAIN_HOME")).map(Path::of).orElse(Path.of("target"));
        try (NDManager m = TorchEngine.manager(home.resolve("djl"))) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            RouteNet net = new RouteNet(m, new RouteNet.Dimensions(1, 1, 8, 3), 0.01f);
            SplittableRandom r = new SplittableRandom(5);
            int merged = 0;
            for (int i = 0; i < 8; i++) {
                FlowGraph g = example(r, 40, 12).graph();
                FlowGraph.LinkClasses classes = g.linkClasses();
                merged += g.links() - classes.count();
                for (int l = 0; l < g.links(); l++) {
                    int rep = classes.representatives()[classes.of()[l]];
                    assertThat(g.linkFeatures()[l]).as("link %d reads as link %d", l, rep)
                            .containsExactly(g.linkFeatures()[rep]);
                }
                try (NDManager scope = m.newSubManager()) {
                    float[] once = net.forward(g, g.linkClasses(), scope, false).get(0).toFloatArray();
                    float[] each = net.forward(g, FlowGraph.LinkClasses.identity(g.links()), scope, false).get(0)
                            .toFloatArray();
                    for (int j = 0; j < once.length; j++) {
                        assertThat(once[j]).isCloseTo(each[j], within(1e-5f * each[j]));
                    }
                }
            }
            assertThat(merged).as("links merged into classes").isPositive();
        }
    }
}
