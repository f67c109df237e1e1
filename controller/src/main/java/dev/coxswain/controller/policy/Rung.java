package dev.coxswain.controller.policy;

/**
 * The escalation ladder, cheapest first: a straggler is first rebalanced, then given staleness, then moved. A rung
 * is used only once the cheaper ones do not apply or have been tried and found insufficient.
 */
public enum Rung {
    /** Shift local batch between workers; free, takes effect at the next step. */
    REBALANCE,
    /** Let fast workers run ahead of the slow one (SSP); changes the learning dynamics a little. */
    STALENESS
}
