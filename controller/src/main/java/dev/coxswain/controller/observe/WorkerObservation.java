package dev.coxswain.controller.observe;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One worker of a job over its recent steps.
 *
 * @param batch         its local batch in its latest step
 * @param samplesPerSec its compute speed: samples over compute time, median of the recent steps (over its own step
 *                      time when the job does not report compute time)
 * @param stepTimeMs    median step time, barrier wait included (a synchronous job's step as the worker lived it)
 * @param ownStepMs     median of its own time per step: the step time less the wait for slower peers
 * @param lastStep      its latest step
 * @param lastAt        when that step ended
 * @param node          the node it runs on, from the job's membership; empty when the job has not reported one
 * @param peakRelativeSpeed its highest compute speed relative to the job's median speed in the same step, over the
 *                      recent steps that every worker reported after the job's warm-up: below 1 means it computed
 *                      slower than the median in each of them; empty until there are as many such steps as the
 *                      observer's window
 */
public record WorkerObservation(String worker, int batch, double samplesPerSec, double stepTimeMs, double ownStepMs,
                                long lastStep, Instant lastAt, Optional<String> node,
                                OptionalDouble peakRelativeSpeed) {
}
