package dev.coxswain.graphmodels.gnn;

/**
 * A graph with what really happened on it: each link's utilisation and each job's exchange time per step.
 *
 * @param utilization one per link of {@code graph}, in [0, 1]
 * @param exchangeSec one per job of {@code graph}: the time from the start of its exchange to the end of its last
 *                    phase, positive for a job with flows
 */
public record GraphSample(FlowGraph graph, float[] utilization, float[] exchangeSec) {
    public GraphSample {
        if (utilization.length != graph.links()) {
            throw new IllegalArgumentException("the graph has " + graph.links() + " links but " + utilization.length
                    + " utilisations");
        }
        if (exchangeSec.length != graph.jobs()) {
            throw new IllegalArgumentException("the graph has " + graph.jobs() + " jobs but " + exchangeSec.length
                    + " exchange times");
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
        utilization = utilization.clone();
        exchangeSec = exchangeSec.clone();
    }
}
