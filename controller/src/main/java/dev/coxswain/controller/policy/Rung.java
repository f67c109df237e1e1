package dev.coxswain.controller.policy;

/**
 * The escalation ladder, cheapest first: a straggler is first rebalanced, then given staleness (migration, the next
 * rung, is not built). A rung is used only once the cheaper ones do not apply or have been tried and found
 * insufficient. Goodput tuning comes last: it is no step against a straggler.
 */
public enum Rung {
    /** Shift local batch between workers; free, takes effect at the next step. */
    REBALANCE,
    /** Let fast workers run ahead of the slow one (SSP); changes the learning dynamics a little. */
    STALENESS,
    /**
     * Tune a healthy job's global batch for goodput: it runs only while the job has no straggler and the controller
     * holds none of its settings changed, so it never competes with the rungs above.
     */
    GOODPUT
}
