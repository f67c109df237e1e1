package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;

import java.util.Optional;

/**
 * One way of retuning a running job. Pure: an observation and what the controller has done to the job in, at most
 * one proposal out; no I/O, no clock, no state of its own, so it can be tested on recorded windows. The planner
 * decides whether a proposal becomes an action (mode, bounds, rate limits, the ladder), and the verifier whether it
 * paid off. Implementations must be thread-safe (they are stateless).
 */
public interface Policy {

    /** The policy's name on actions, metrics and settings, e.g. {@code rebalance}. */
    String name();

    /** Its place on the escalation ladder. */
    Rung rung();

    /** What this policy would change now, if anything. */
    Optional<Proposal> propose(JobObservation job, JobControl control);
}
