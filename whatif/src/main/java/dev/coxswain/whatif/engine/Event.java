package dev.coxswain.whatif.engine;

/** The simulator's events; each names the job (by index) and what happened. */
sealed interface Event {

    /** A job's first step begins. */
    record JobStart(int job) implements Event {
    }

    /** A worker finished the compute (all micro-batches) of a step. */
    record ComputeDone(int job, int worker, long step) implements Event {
    }

    /** A job's gradient exchange may start (first bucket ready on every worker), or a PS worker pushes. */
    record CommStart(int job, int worker, long step) implements Event {
    }

    /** A coflow's bytes and latency are through; stale when its version no longer matches. */
    record CoflowDone(int coflow, long version) implements Event {
    }

    /** An all-reduce step's end, once both compute and exchange are done. */
    record StepEnd(int job, long step) implements Event {
    }

    /** Time to sample GPUs and hosts. */
    record Sample() implements Event {
    }
}
