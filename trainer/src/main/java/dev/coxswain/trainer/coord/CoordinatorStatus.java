package dev.coxswain.trainer.coord;

import java.util.List;

/**
 * A consistent snapshot of the coordinator, taken on its event loop.
 *
 * @param ended      each worker's last completed clock (-1 before its first)
 * @param inFlight   each worker's granted but not yet completed clock, or -1
 * @param cursor     the next position of the sample stream to hand out
 * @param stopReason why the job stopped, or empty while it runs
 */
public record CoordinatorStatus(List<String> workers, long[] ended, long[] inFlight, BatchPlan plan,
                                SyncPolicy policy, LearningRate learningRate, double currentLr, long cursor,
                                boolean started, String stopReason, double noiseScale) {
    public CoordinatorStatus {
        workers = List.copyOf(workers);
        ended = ended.clone();
        inFlight = inFlight.clone();
    }

    public long slowestClock() {
        long min = Long.MAX_VALUE;
        for (long e : ended) {
            min = Math.min(min, e + 1);
        }
        return min;
    }
}
