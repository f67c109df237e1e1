package dev.coxswain.trainer.launch;

import dev.coxswain.trainer.eval.EvalPoint;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a training job went.
 *
 * @param reachedTarget  the first evaluation at or above the target accuracy, if any: its {@code elapsed} is the
 *                       time to accuracy
 * @param finalEval      the test accuracy of the final parameters
 * @param curve          every evaluation during training, in order
 * @param trainingTime   from the start of training (all workers ready) to the last worker told to stop
 * @param clocks         each worker's completed clocks
 * @param appliedUpdates gradient pushes applied, summed over shards (each worker-clock counts once per shard)
 * @param lostUpdates    worker-clocks the coordinator counted as done that some shard did not apply, plus any
 *                       applied more than once: 0 when every update landed exactly once
 * @param duplicatePushes pushes the shards refused as repeats (a restarted worker redoing its last clock)
 * @param restarts       worker processes started again after a crash or a move
 * @param samples        training samples handed out
 * @param computeSpeeds  each worker's samples per second of compute (slowdowns included), after warm-up
 */
public record JobResult(String jobId, Optional<EvalPoint> reachedTarget, EvalPoint finalEval, List<EvalPoint> curve,
                        Duration trainingTime, long[] clocks, long appliedUpdates, long lostUpdates,
                        long duplicatePushes, int restarts, long samples, double[] computeSpeeds,
                        String stopReason) {
    public JobResult {
        curve = List.copyOf(curve);
        clocks = clocks.clone();
        computeSpeeds = computeSpeeds.clone();
    }

    /** Time to the target accuracy, if reached. */
    public Optional<Duration> timeToTarget() {
        return reachedTarget.map(EvalPoint::elapsed);
    }
}
