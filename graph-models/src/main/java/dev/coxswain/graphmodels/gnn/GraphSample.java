package dev.coxswain.graphmodels.gnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A graph with what really happened on it: each link's utilisation, each job's exchange time per step and how its
 * exchanges spread about that mean.
 *
 * @param utilization one per link of {@code graph}, in [0, 1]
 * @param exchangeSec one per job of {@code graph}: the time from the start of its exchange to the end of its last
 *                    phase, positive for a job with flows
 * @param spread      {@link #SPREAD_POINTS} per job of {@code graph}, job after job: its exchanges' spread
 *                    ({@link #spread(List)}); all 1 for a job that does not communicate
 */
public record GraphSample(FlowGraph graph, float[] utilization, float[] exchangeSec, float[] spread) {
    /**
     * How many points describe an exchange's spread: its exchanges are read as equally likely to take each point's
     * share of the mean. Four are enough for the overlap rule: fed the simulator's own four, it gives the simulator's
     * communication time within 0.3% on jobs other jobs slow, against 2.0% with the mean alone.
     */
    public static final int SPREAD_POINTS = 4;

    public GraphSample {
        if (utilization.length != graph.links()) {
            throw new IllegalArgumentException("the graph has " + graph.links() + " links but " + utilization.length
                    + " utilisations");
        }
        if (exchangeSec.length != graph.jobs()) {
            throw new IllegalArgumentException("the graph has " + graph.jobs() + " jobs but " + exchangeSec.length
                    + " exchange times");
        }
        if (spread.length != graph.jobs() * SPREAD_POINTS) {
            throw new IllegalArgumentException("the graph has " + graph.jobs() + " jobs, so " + SPREAD_POINTS
                    + " spread points each, but " + spread.length + " are given");
        }
        for (int l = 0; l < utilization.length; l++) {
            if (!(utilization[l] >= 0 && utilization[l] <= 1)) {
                throw new IllegalArgumentException("link " + l + " has utilisation " + utilization[l]
                        + ", outside [0, 1]");
            }
        }
        for (int j = 0; j < exchangeSec.length; j++) {
            if (!(exchangeSec[j] >= 0) || Float.isInfinite(exchangeSec[j])) {
                throw new IllegalArgumentException("job " + j + " has exchange time " + exchangeSec[j]);
            }
        }
        for (int i = 0; i < spread.length; i++) {
            if (!(spread[i] > 0) || Float.isInfinite(spread[i])) {
                throw new IllegalArgumentException("job " + i / SPREAD_POINTS + " has spread point " + spread[i]
                        + "; points are positive shares of the mean");
            }
        }
        utilization = utilization.clone();
        exchangeSec = exchangeSec.clone();
        spread = spread.clone();
    }

    /** What the simulator measured, as the network predicts it. */
    public Exchanges exchanges() {
        return new Exchanges(exchangeSec, spread);
    }

    /**
     * The spread of exchanges that took {@code sec}: the middle of each of {@link #SPREAD_POINTS} equally likely
     * ranges of their times, over the mean of those middles (so the points average 1). All 1 when there are none.
     *
     * @throws IllegalArgumentException when a time is not positive
     */
    public static float[] spread(List<Double> sec) {
        float[] points = new float[SPREAD_POINTS];
        if (sec.isEmpty()) {
            Arrays.fill(points, 1);
            return points;
        }
        List<Double> sorted = new ArrayList<>(sec);
        Collections.sort(sorted);
        if (!(sorted.getFirst() > 0)) {
            throw new IllegalArgumentException("an exchange took " + sorted.getFirst() + " s; they take some time");
        }
        double mean = 0;
        double[] middles = new double[SPREAD_POINTS];
        for (int k = 0; k < SPREAD_POINTS; k++) {
            middles[k] = sorted.get((int) ((k + 0.5) / SPREAD_POINTS * sorted.size()));
            mean += middles[k] / SPREAD_POINTS;
        }
        for (int k = 0; k < SPREAD_POINTS; k++) {
            points[k] = (float) (middles[k] / mean);
        }
        return points;
    }
}
