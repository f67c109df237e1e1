package dev.coxswain.core.hub;

import java.util.function.Consumer;

/**
 * Where readers get the latest of a series of immutable values: {@link #latest()} never blocks; listeners are called
 * on the publishing thread after each publication and must return quickly (hand work to another thread).
 */
public interface Source<T> {
    /** The most recent value. */
    T latest();

    /** Calls {@code listener} with every value published from now on; returns a handle that stops it. */
    AutoCloseable subscribe(Consumer<T> listener);
}
