package dev.coxswain.trainer.coord;

import java.util.List;

/**
 * What a coordinator starts with.
 *
 * @param workers         worker ids, in index order
 * @param plan            the starting local batches
 * @param policy          the starting synchronisation
 * @param learningRate    base rate, base global batch and scaling rule
 * @param maxClocks       each worker stops after this many clocks (the job's budget)
 * @param evalEverySteps  report progress every this many global steps (a global step = one clock of every worker)
 * @param deviceSpeed     samples per second of each worker's emulated accelerator (0: none, the CPU's own pace)
 */
public record CoordinatorSettings(List<String> workers, BatchPlan plan, SyncPolicy policy,
                                  LearningRate learningRate, long maxClocks, int evalEverySteps,
                                  double deviceSpeed) {
    public CoordinatorSettings {
        workers = List.copyOf(workers);
        if (workers.isEmpty() || workers.size() != plan.workers() || maxClocks < 1 || evalEverySteps < 1
                || workers.stream().distinct().count() != workers.size() || !(deviceSpeed >= 0)) {
            throw new IllegalArgumentException("CoordinatorSettings: workers " + workers + ", plan " + plan
                    + ", max clocks " + maxClocks + ", eval every " + evalEverySteps + ", device speed " + deviceSpeed);
        }
    }
}
