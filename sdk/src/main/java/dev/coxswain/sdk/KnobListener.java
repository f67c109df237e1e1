package dev.coxswain.sdk;

/**
 * Receives knob changes from a {@link KnobWatch}. Called on the watch's own thread, one update at a time, in version
 * order; an implementation should hand the change to the training loop and return quickly. An exception thrown here
 * is logged and the watch goes on.
 */
@FunctionalInterface
public interface KnobListener {
    void onKnobs(KnobUpdate update);
}
