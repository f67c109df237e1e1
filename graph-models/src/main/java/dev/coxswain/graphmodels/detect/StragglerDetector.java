package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.window.JobWindow;

/**
 * Finds the stragglers of jobs from their step windows: the boundary the collector's snapshot loop calls.
 * <p>Contract: {@link #update} takes the job's current window (the same job again and again as the window moves
 * on); samples of steps already processed are ignored, so overlapping windows are fine. A step is processed once
 * every worker that is still reporting has reported it. Implementations keep per-job state and are not
 * thread-safe: one thread calls them. Bad windows (decreasing steps, non-positive times) are rejected when the
 * {@link JobWindow} is built, not here.
 */
public interface StragglerDetector {

    /** Processes the window's new complete steps and returns the job's state after the last of them. */
    JobAssessment update(JobWindow window);

    /** Drops the state of a job that ended. */
    void forget(String jobId);
}
