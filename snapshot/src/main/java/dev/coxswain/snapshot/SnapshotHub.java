package dev.coxswain.snapshot;

import dev.coxswain.core.hub.Hub;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.SimpleGraph;

import java.time.Instant;
import java.util.Map;

/** A {@link SnapshotSource} that the owning thread {@link #publish publishes} to. */
public final class SnapshotHub extends Hub<ClusterSnapshot> implements SnapshotSource {
    public SnapshotHub() {
        super("cluster snapshots", empty());
    }

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(0, Instant.EPOCH, new AsUnmodifiableGraph<>(new SimpleGraph<>(Link.class)),
                Map.of(), Map.<Vertex.Gpu, dev.coxswain.core.telemetry.GpuSample>of(), Map.of(), Map.of());
    }
}
