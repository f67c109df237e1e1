package dev.coxswain.trainer.launch;

/**
 * Each worker's compute speed (samples per second of compute, injected slowdowns included), from the clocks it
 * completed after the first {@code warmup} (while the JIT is still compiling, speeds say little). Thread-safe.
 */
final class WorkerSpeeds {
    private final long warmup;
    private final double[] samples;
    private final double[] computeMs;

    WorkerSpeeds(int workers, long warmup) {
        this.warmup = warmup;
        this.samples = new double[workers];
        this.computeMs = new double[workers];
    }

    synchronized void add(int worker, long clock, int batch, double ms) {
        if (clock >= warmup) {
            samples[worker] += batch;
            computeMs[worker] += ms;
        }
    }

    /** Samples per compute-second of each worker; 0 for a worker with no clock past the warm-up. */
    synchronized double[] samplesPerSecond() {
        double[] out = new double[samples.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = computeMs[i] > 0 ? samples[i] / (computeMs[i] / 1000.0) : 0;
        }
        return out;
    }
}
