package dev.coxswain.trainer.model;

/**
 * What one mini-batch gradient computation measured.
 *
 * @param loss         mean cross-entropy over the batch
 * @param gradSqNorm   squared L2 norm of the batch's mean gradient
 * @param gradVariance trace of the per-sample gradient covariance (sum over parameters of the unbiased variance);
 *                     with {@code gradSqNorm} it gives the gradient noise scale {@code B = tr(Sigma) / |G|^2}
 * @param samples      the batch size
 */
public record BatchStats(double loss, double gradSqNorm, double gradVariance, int samples) {
    public BatchStats {
        if (!Double.isFinite(loss) || !(gradSqNorm >= 0) || !(gradVariance >= 0) || samples < 1) {
            throw new IllegalArgumentException("BatchStats: loss " + loss + ", |g|^2 " + gradSqNorm + ", variance "
                    + gradVariance + ", samples " + samples + " (did training diverge?)");
        }
    }
}
