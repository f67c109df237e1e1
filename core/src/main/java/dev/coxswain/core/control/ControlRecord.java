package dev.coxswain.core.control;

/** What the actions topic (the controller's audit log) carries: an action, or an outcome of one. */
public sealed interface ControlRecord permits Action, ActionOutcome {

    /** The job it concerns; the Kafka key, so that one job's records stay in order. */
    String job();

    /** The action's id. */
    String actionId();
}
