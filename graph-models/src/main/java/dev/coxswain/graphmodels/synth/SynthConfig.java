package dev.coxswain.graphmodels.synth;

/**
 * Shape of the synthetic labelled jobs.
 *
 * @param jobs              number of jobs
 * @param steps             samples per worker
 * @param minWorkers        smallest job
 * @param maxWorkers        largest job
 * @param maxEpisodes       most straggler episodes per job (each with one cause, on one worker, host or switch)
 * @param telemetryDropout  probability that a job lacks a group of telemetry columns altogether
 * @param spikeRate         probability of a single-sample spike (not a straggler) per worker sample
 * @param telemetryOnly     every job reports its step times without the compute / communication / input split, as
 *                          many jobs do: a straggler's cause must come from telemetry and its neighbourhood
 */
public record SynthConfig(int jobs, int steps, int minWorkers, int maxWorkers, int maxEpisodes,
                          double telemetryDropout, double spikeRate, boolean telemetryOnly) {
    public SynthConfig {
        require(jobs >= 1, "jobs", jobs);
        require(steps >= 40, "steps (at least 40)", steps);
        require(minWorkers >= 4 && maxWorkers >= minWorkers && maxWorkers <= 1024, "minWorkers/maxWorkers",
                minWorkers + "/" + maxWorkers);
        require(maxEpisodes >= 0 && maxEpisodes <= 10, "maxEpisodes", maxEpisodes);
        require(telemetryDropout >= 0 && telemetryDropout <= 1, "telemetryDropout", telemetryDropout);
        require(spikeRate >= 0 && spikeRate <= 0.2, "spikeRate", spikeRate);
    }

    private static void require(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("SynthConfig." + field + " is out of range: " + value);
        }
    }

    /** The shape used for training and evaluation in the benchmark. */
    public static SynthConfig standard(int jobs) {
        return new SynthConfig(jobs, 150, 8, 32, 3, 0.25, 0.01, false);
    }

    /** The standard shape with no job reporting the step split: the cases of {@code cause_telemetry_only_acc}. */
    public static SynthConfig telemetryOnly(int jobs) {
        return new SynthConfig(jobs, 150, 8, 32, 3, 0.25, 0.01, true);
    }
}
