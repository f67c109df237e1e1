package dev.coxswain.snapshot;

import dev.coxswain.core.hub.Source;

/**
 * Where readers get the collector's snapshots. {@link #latest()} never blocks; listeners are called on the
 * collector's thread after each publication and must return quickly (hand work to another thread).
 */
public interface SnapshotSource extends Source<ClusterSnapshot> {
    /** The most recent snapshot; generation 0 and an empty graph before the first. */
    @Override
    ClusterSnapshot latest();
}
