package dev.coxswain.whatif.calibrate;

/**
 * One measured configuration of a job: seconds per step and the part of it spent waiting for gradient
 * synchronisation (the exposed, not overlapped, all-reduce time).
 */
public record Measurement(Placement placement, int localBatch, double stepTimeSec, double syncTimeSec) {
    public Measurement {
        if (placement == null) {
            throw new IllegalArgumentException("placement missing");
        }
        if (localBatch < 1) {
            throw new IllegalArgumentException("local_bsz must be at least 1, not " + localBatch);
        }
        if (!(stepTimeSec > 0) || Double.isInfinite(stepTimeSec)) {
            throw new IllegalArgumentException("step_time must be a positive number of seconds, not " + stepTimeSec);
        }
        if (!(syncTimeSec >= 0) || syncTimeSec > stepTimeSec) {
            throw new IllegalArgumentException("sync_time must be in [0, step_time], not " + syncTimeSec);
        }
    }

    /** Step time less the exposed synchronisation: the compute part as the job measured it. */
    public double computeTimeSec() {
        return Math.max(stepTimeSec - syncTimeSec, 1e-9);
    }
}
