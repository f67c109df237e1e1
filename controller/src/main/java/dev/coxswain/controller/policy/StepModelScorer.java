package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.core.stats.Median;

import java.util.Map;

/**
 * Scores a move with the synchronous step model that the what-if simulator and the rebalancing policy use: a step
 * lasts as long as the slowest worker's compute plus the part that is not compute, so the step after the move is the
 * step now, less the slowest compute now, plus the slowest compute after, each worker computing its new batch at
 * its measured speed, and the moved one at the median speed of its peers times the slot's relative speed (a
 * throttled GPU's clock ratio). The moved worker's own
 * non-compute time is assumed unchanged: this scorer knows nothing of links, so it never predicts that a move cures a
 * slow link.
 */
public final class StepModelScorer implements PlacementScorer {
    @Override
    public String name() {
        return "step-model";
    }

    @Override
    public double predictStepMs(JobObservation job, String worker, Slot slot, Map<String, Integer> batches) {
        double[] peerSpeeds = job.workers().values().stream().filter(w -> !w.worker().equals(worker))
                .mapToDouble(WorkerObservation::samplesPerSec).toArray();
        WorkerObservation moved = job.workers().get(worker);
        double speedThere = (peerSpeeds.length > 0 ? Median.of(peerSpeeds) : moved.samplesPerSec())
                * slot.relativeSpeed();
        double slowestNow = 0;
        double slowestAfter = 0;
        for (WorkerObservation w : job.workers().values()) {
            slowestNow = Math.max(slowestNow, 1000.0 * w.batch() / w.samplesPerSec());
            double speed = w.worker().equals(worker) ? speedThere : w.samplesPerSec();
            slowestAfter = Math.max(slowestAfter, 1000.0 * batches.getOrDefault(w.worker(), w.batch()) / speed);
        }
        return job.stepTimeMs() - slowestNow + slowestAfter;
    }
}
