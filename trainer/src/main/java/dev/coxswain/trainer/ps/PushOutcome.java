package dev.coxswain.trainer.ps;

/** What a shard did with a gradient push. */
public enum PushOutcome {
    /** Applied to the parameters at once (SSP, ASP). */
    APPLIED,
    /** Held until every worker has pushed this clock, then applied as one sum (BSP). */
    BUFFERED,
    /** This worker's gradient for this clock was already taken: a retry after a crash. Ignored. */
    DUPLICATE
}
