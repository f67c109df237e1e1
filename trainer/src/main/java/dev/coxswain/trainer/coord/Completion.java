package dev.coxswain.trainer.coord;

/**
 * A worker's report that it finished a clock: its gradient is on every shard.
 *
 * @param gradSqNorm   squared norm of its mini-batch gradient
 * @param gradVariance per-sample gradient variance (trace), for the noise scale and AdaScale
 * @param computeMs    how long the worker computed (injected slowdown included): its speed is batch / computeMs
 */
public record Completion(long clock, int batch, double loss, double gradSqNorm, double gradVariance,
                         double computeMs) {
    public Completion {
        if (clock < 0 || batch < 1 || !(computeMs >= 0)) {
            throw new IllegalArgumentException("Completion: clock " + clock + ", batch " + batch + ", compute "
                    + computeMs + " ms");
        }
    }
}
