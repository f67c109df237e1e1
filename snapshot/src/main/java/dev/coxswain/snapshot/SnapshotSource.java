package dev.coxswain.snapshot;

import java.util.function.Consumer;

/**
 * Where readers get the collector's snapshots. {@link #latest()} never blocks; listeners are called on the
 * collector's thread after each publication and must return quickly (hand work to another thread).
 */
public interface SnapshotSource {

    /** The most recent snapshot; generation 0 and an empty graph before the first. */
    ClusterSnapshot latest();

    /** Calls {@code listener} with every snapshot published from now on; returns a handle that stops it. */
    AutoCloseable subscribe(Consumer<ClusterSnapshot> listener);
}
