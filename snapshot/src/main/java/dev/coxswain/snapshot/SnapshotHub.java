package dev.coxswain.snapshot;

import dev.coxswain.core.hub.Hub;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.SimpleGraph;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/** A {@link SnapshotSource} that the owning thread {@link #publish publishes} to. */
public final class SnapshotHub implements SnapshotSource {
    private final Hub<ClusterSnapshot> hub = new Hub<>("cluster snapshots", empty());

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(0, Instant.EPOCH, new AsUnmodifiableGraph<>(new SimpleGraph<>(Link.class)),
                Map.of(), Map.<Vertex.Gpu, dev.coxswain.core.telemetry.GpuSample>of(), Map.of(), Map.of());
    }

    @Override
    public ClusterSnapshot latest() {
        return hub.latest();
    }

    @Override
    public AutoCloseable subscribe(Consumer<ClusterSnapshot> listener) {
        return hub.subscribe(listener);
    }

    public void publish(ClusterSnapshot snapshot) {
        hub.publish(snapshot);
    }
}
