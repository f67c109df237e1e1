package dev.coxswain.trainer.coord;

import java.util.Optional;

import java.time.Instant;

/**
 * What the coordinator tells the job around it (the master: evaluation, events, migrations). Called on the
 * coordinator's event loop: implementations must return quickly and hand real work to their own threads.
 */
public interface CoordinatorListener {

    /** A worker process introduced itself from {@code node}; {@code ended} is its last completed clock. */
    default void onHello(String worker, String node, long ended) {
    }

    /** Every worker has asked for clock 0: training starts now. */
    default void onStart(Instant start) {
    }

    /**
     * A worker was let into a clock; {@code slowestClock} is the slowest worker's clock at that moment, so
     * {@code grant.clock() - slowestClock} is the lead that {@code policy} bounds.
     */
    default void onGrant(String worker, Grant grant, long slowestClock, SyncPolicy policy) {
    }

    /** A worker finished a clock. */
    default void onCompletion(String worker, Completion completion) {
    }

    /**
     * The job's completed clocks, summed over workers, reached {@code globalStep} times the number of workers;
     * {@code samples} have been handed out so far.
     */
    default void onGlobalStep(long globalStep, long samples) {
    }

    /**
     * The gradient statistics that batch-size policies need, reported with each {@link #onGlobalStep}: the gradient
     * noise scale {@code tr(Sigma) / |G|^2} in samples (NaN until known), the global batch and the learning rate in
     * force.
     */
    default void onGradientStats(long globalStep, double noiseScale, int globalBatch, double learningRate) {
    }

    /** A knob change took effect; {@code action} is the controller action behind it, if any. */
    default void onKnobApplied(String worker, KnobEffect effect, long version, Optional<String> action) {
    }

    /** A knob change was refused, for {@code reason}. */
    default void onKnobRejected(String worker, KnobEffect effect, long version, Optional<String> action,
                                String reason) {
    }

    /** A {@code node} knob asks to move {@code worker}: the master stops it and starts it on {@code node}. */
    default void onMigrationRequested(String worker, String node) {
    }

    /** Every worker has been told to stop. */
    default void onFinished(String reason) {
    }
}
