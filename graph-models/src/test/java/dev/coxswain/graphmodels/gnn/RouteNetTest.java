package dev.coxswain.graphmodels.gnn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph network learns a network's arithmetic from examples: on random networks whose links carry the demand of
 * the flows that cross them (utilisation = demand over capacity, at most 1), it predicts the utilisation of links in
 * networks it has not seen, and of networks four times larger than those it trained on, far better than the mean.
 */
class RouteNetTest {

    /** A random network of {@code links} links and {@code flows} flows, and each link's true utilisation. */
    private record Example(FlowGraph graph, float[] utilization) {
    }

    private static Example example(SplittableRandom r, int links, int flows) {
        float[] capacity = new float[links];
        float[][] linkFeatures = new float[links][];
        for (int l = 0; l < links; l++) {
            capacity[l] = 1 + r.nextInt(4);
            linkFeatures[l] = new float[]{capacity[l] / 4};
        }
        float[] load = new float[links];
        float[][] flowFeatures = new float[flows][];
        List<Integer> rows = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int f = 0; f < flows; f++) {
            float demand = (float) r.nextDouble();
            flowFeatures[f] = new float[]{demand};
            int hops = 1 + r.nextInt(3);
            int first = r.nextInt(links);
            for (int h = 0; h < hops; h++) {
                int l = (first + h) % links;
                rows.add(f);
                columns.add(l);
                load[l] += demand;
            }
        }
        float[] utilization = new float[links];
        for (int l = 0; l < links; l++) {
            utilization[l] = Math.min(1, load[l] / capacity[l]);
        }
        float[] alone = new float[flows];
        java.util.Arrays.fill(alone, 1f);
        int[] each = java.util.stream.IntStream.range(0, flows).toArray();
        return new Example(new FlowGraph(linkFeatures, flowFeatures, new Incidence(flows, links,
                rows.stream().mapToInt(Integer::intValue).toArray(),
                columns.stream().mapToInt(Integer::intValue).toArray()), alone, alone,
                new Incidence(flows, flows, each, each)), utilization);
    }

    private static double mae(RouteNet net, NDManager m, List<Example> examples) {
        double sum = 0;
        int n = 0;
        for (Example e : examples) {
            try (NDManager scope = m.newSubManager()) {
                float[] predicted = net.predict(e.graph(), scope, false).utilization().toFloatArray();
                for (int l = 0; l < predicted.length; l++) {
                    sum += Math.abs(predicted[l] - e.utilization()[l]);
                    n++;
                }
            }
        }
        return sum / n;
    }

    private static double meanBaseline(List<Example> train, List<Example> test) {
        double mean = train.stream().flatMapToDouble(e -> {
            double[] d = new double[e.utilization().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = e.utilization()[i];
            }
            return java.util.Arrays.stream(d);
        }).average().orElseThrow();
        double sum = 0;
        int n = 0;
        for (Example e : test) {
            for (float u : e.utilization()) {
                sum += Math.abs(u - mean);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void learnsLinkUtilisationAndReadsNetworksLargerThanItTrainedOn() {
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
            double before = mae(net, m, unseen);
            for (int step = 0; step < 400; step++) {
                List<Example> batch = train.subList((step * 8) % train.size(), (step * 8) % train.size() + 8);
                net.trainStep(batch.stream().map(e -> new GraphSample(e.graph(), e.utilization(),
                        new float[e.graph().jobs()])).toList());
            }

            double unseenMae = mae(net, m, unseen);
            double largerMae = mae(net, m, larger);
            System.out.printf("RouteNetTest: MAE before %.3f; unseen %.3f (mean baseline %.3f); 4x larger %.3f"
                            + " (mean baseline %.3f)%n", before, unseenMae, meanBaseline(train, unseen), largerMae,
                    meanBaseline(train, larger));
            assertThat(unseenMae).as("unseen networks").isLessThan(0.5 * meanBaseline(train, unseen));
            assertThat(largerMae).as("networks four times larger").isLessThan(0.5 * meanBaseline(train, larger));
        }
    }
}
