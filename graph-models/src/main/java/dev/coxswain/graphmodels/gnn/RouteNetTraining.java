package dev.coxswain.graphmodels.gnn;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** Trains a {@link RouteNet} on samples in seeded, shuffled mini-batches, and fingerprints the samples. */
public final class RouteNetTraining {

    /**
     * How to train.
     *
     * @param epochs passes over the samples
     * @param batch  samples a step, read as one graph
     */
    public record Settings(int epochs, int batch, long seed) {
        public Settings {
            if (epochs < 1 || batch < 1) {
                throw new IllegalArgumentException("epochs and batch must be at least 1, got " + epochs + " and "
                        + batch);
            }
        }
    }

    /** One epoch done: its number from 1 and its mean loss. */
    public record Epoch(int epoch, double loss) {
    }

    private RouteNetTraining() {
    }

    /** Trains {@code network} in place, telling {@code progress} after each epoch; returns each epoch's loss. */
    public static List<Epoch> train(RouteNet network, List<GraphSample> samples, Settings settings,
                                    Consumer<Epoch> progress) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to train on");
        }
        List<GraphSample> order = new ArrayList<>(samples);
        Random random = new Random(settings.seed());
        List<Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= settings.epochs(); e++) {
            Collections.shuffle(order, random);
            double loss = 0;
            int steps = 0;
            for (int from = 0; from < order.size(); from += settings.batch()) {
                loss += network.trainStep(order.subList(from, Math.min(order.size(), from + settings.batch())));
                steps++;
            }
            Epoch epoch = new Epoch(e, loss / steps);
            epochs.add(epoch);
            progress.accept(epoch);
        }
        return epochs;
    }

    /** SHA-256 (hex) of the samples' features, incidences and targets, in order: the training data's identity. */
    public static String hash(List<GraphSample> samples) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (GraphSample s : samples) {
            FlowGraph g = s.graph();
            for (float[] row : g.linkFeatures()) {
                floats(sha, row);
            }
            for (float[] row : g.flowFeatures()) {
                floats(sha, row);
            }
            floats(sha, g.flowAloneSec());
            floats(sha, g.flowSharedSec());
            for (Incidence i : List.of(g.flowsOverLinks(), g.jobsOverFlows())) {
                ints(sha, new int[]{i.rows(), i.columns()});
                ints(sha, i.row());
                ints(sha, i.column());
            }
            floats(sha, s.utilization());
            floats(sha, s.exchangeSec());
            floats(sha, s.spread());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void floats(MessageDigest sha, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * values.length).putInt(values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        sha.update(b.array());
    }

    private static void ints(MessageDigest sha, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * values.length).putInt(values.length);
        for (int v : values) {
            b.putInt(v);
        }
        sha.update(b.array());
    }
}
