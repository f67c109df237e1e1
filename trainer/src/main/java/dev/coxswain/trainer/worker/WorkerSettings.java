package dev.coxswain.trainer.worker;

import dev.coxswain.trainer.model.MlpShape;
import dev.coxswain.trainer.ps.ShardLayout;

/**
 * One worker process's identity and the job facts it needs.
 *
 * @param node           the node it runs on (a label on this machine; moving a worker changes it)
 * @param coordinatorUrl the coordinator's base URL
 * @param seed           the job's seed: the sample stream depends on it
 */
public record WorkerSettings(String jobId, String workerId, String node, String coordinatorUrl, MlpShape shape,
                             ShardLayout layout, long seed) {
    public WorkerSettings {
        if (jobId == null || workerId == null || node == null || coordinatorUrl == null || shape == null
                || layout == null || layout.parameters() != shape.parameterCount()) {
            throw new IllegalArgumentException("WorkerSettings: incomplete or inconsistent (" + jobId + ", "
                    + workerId + ", " + node + ", " + coordinatorUrl + ", " + shape + ", " + layout + ")");
        }
    }
}
