package dev.coxswain.snapshot;


import java.util.List;

/**
 * Traffic one worker of a job sends to another each step, routed over physical links.
 *
 * @param bytesPerStep bytes sent per training step
 * @param bytesPerSec  the flow's current rate: bytes per step over the job's mean step time
 * @param route        the links the flow crosses, in order
 */
public record Flow(String jobId, String fromWorker, String toWorker, double bytesPerStep, double bytesPerSec,
                   List<Link> route) {
    public Flow {
        route = List.copyOf(route);
    }
}
