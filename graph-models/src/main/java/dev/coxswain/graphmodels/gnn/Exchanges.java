package dev.coxswain.graphmodels.gnn;

/**
 * Each job's exchanges on a graph, in the graph's order: what the network predicts, or what the simulator measured.
 *
 * @param exchangeSec each job's mean exchange time per step
 * @param spread      {@link GraphSample#SPREAD_POINTS} per job, job after job: how its exchanges spread about the mean
 *                    ({@link GraphSample#spread}); all 1 for a job without flows
 */
public record Exchanges(float[] exchangeSec, float[] spread) {
    public Exchanges {
        if (spread.length != exchangeSec.length * GraphSample.SPREAD_POINTS) {
            throw new IllegalArgumentException(exchangeSec.length + " jobs need " + GraphSample.SPREAD_POINTS
                    + " spread points each, got " + spread.length);
        }
        exchangeSec = exchangeSec.clone();
        spread = spread.clone();
    }

    /** Job {@code j}'s exchange time at spread point {@code k}. */
    public double pointSec(int j, int k) {
        return exchangeSec[j] * (double) spread[j * GraphSample.SPREAD_POINTS + k];
    }
}
