package dev.coxswain.collector.snapshot;

import dev.coxswain.collector.graph.Link;
import dev.coxswain.collector.graph.Vertex;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.SimpleGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A {@link SnapshotSource} that the owning thread {@link #publish publishes} to. */
public final class SnapshotHub implements SnapshotSource {
    private static final Logger log = LoggerFactory.getLogger(SnapshotHub.class);

    private final AtomicReference<ClusterSnapshot> latest = new AtomicReference<>(empty());
    private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();

    public static ClusterSnapshot empty() {
        return new ClusterSnapshot(0, Instant.EPOCH, new AsUnmodifiableGraph<>(new SimpleGraph<>(Link.class)),
                Map.of(), Map.<Vertex.Gpu, dev.coxswain.core.telemetry.GpuSample>of(), Map.of(), Map.of());
    }

    @Override
    public ClusterSnapshot latest() {
        return latest.get();
    }

    @Override
    public AutoCloseable subscribe(Consumer<ClusterSnapshot> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(ClusterSnapshot snapshot) {
        latest.set(snapshot);
        for (Consumer<ClusterSnapshot> l : listeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                log.error("snapshot listener failed on generation {}", snapshot.generation(), e);
            }
        }
    }
}
