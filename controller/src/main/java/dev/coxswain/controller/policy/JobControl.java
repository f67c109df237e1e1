package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.SyncState;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the controller has done to a job, as the policies need to know it: the state it started from, which it
 * restores once the job is healthy, and which rungs were tried and failed (rejected or rolled back).
 *
 * @param baselineBatches each worker's batch before the first rebalance; empty while the job runs as it was started
 * @param baselineSync    the synchronisation before the first staleness change; empty while unchanged
 * @param failed          rungs whose last action was rejected or rolled back
 * @param healthyForMs    how long the job has had no open straggler episode, 0 while it has one
 */
public record JobControl(Map<String, Integer> baselineBatches, Optional<SyncState> baselineSync, Set<Rung> failed,
                         long healthyForMs) {
    public static final JobControl UNTOUCHED = new JobControl(Map.of(), Optional.empty(), Set.of(), 0);

    public JobControl {
        baselineBatches = Map.copyOf(baselineBatches);
        failed = Set.copyOf(failed);
    }
}
