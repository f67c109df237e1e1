package dev.coxswain.core.control;

/**
 * Where a controller's records go. {@link #send} hands an action to the agents (signed, on the knobs topic);
 * {@link #record} writes an action or outcome to the audit log (the actions topic). Both return at once; a failed
 * delivery is logged and counted by the implementation, never thrown at the controller. Thread-safe.
 */
public interface ControlSink {

    /** Delivers an action to be applied; it is recorded separately. */
    void send(Action action);

    /** Appends to the audit log. */
    void record(ControlRecord record);
}
