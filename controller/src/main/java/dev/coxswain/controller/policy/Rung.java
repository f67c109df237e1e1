package dev.coxswain.controller.policy;

/**
 * The escalation ladder, cheapest first: a straggler is first rebalanced, then given staleness, then moved. A rung is
 * used only once the cheaper ones do not apply or have been tried and found insufficient. Goodput tuning comes last:
 * it is no step against a straggler.
 */
public enum Rung {
    /** Shift local batch between workers; free, takes effect at the next step. */
    REBALANCE,
    /** Let fast workers run ahead of the slow one (SSP); changes the learning dynamics a little. */
    STALENESS,
    /**
     * Move the worker to a free slot; costs the job a pause (the worker stops and starts again elsewhere), so it is
     * taken only once the time lost to the straggler exceeds that pause (the ski-rental rule).
     */
    MIGRATE,
    /**
     * Tune a healthy job's global batch for goodput: it runs only while the job has no straggler and the controller
     * holds none of its settings changed, so it never competes with the rungs above.
     */
    GOODPUT
}
