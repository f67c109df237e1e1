package dev.coxswain.graphmodels.live;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Vertex;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The recent GPU and host samples seen in successive snapshots (a snapshot holds only the latest of each), so that
 * each step can be paired with the telemetry of its own time. Keeps the last {@value #DEPTH} samples per GPU and per
 * host; forgets a GPU or host that leaves the snapshot. Lookups are O(depth).
 *
 * <p>Not thread-safe: owned by the live detector's thread.
 */
final class SampleHistory {
    static final int DEPTH = 32;
    /** A sample further than this from a step says nothing about it. */
    static final Duration MAX_DISTANCE = Duration.ofSeconds(10);

    private final Map<Vertex.Gpu, Deque<GpuSample>> gpus = new HashMap<>();
    private final Map<String, Deque<HostSample>> hosts = new HashMap<>();

    /** Adds the snapshot's samples that are newer than those kept. */
    void record(ClusterSnapshot snapshot) {
        snapshot.gpus().forEach((gpu, sample) -> append(gpus, gpu, sample, GpuSample::timestamp));
        gpus.keySet().retainAll(snapshot.gpus().keySet());
        snapshot.hosts().forEach((node, sample) -> append(hosts, node, sample, HostSample::timestamp));
        hosts.keySet().retainAll(snapshot.hosts().keySet());
    }

    private static <K, T> void append(Map<K, Deque<T>> all, K key, T sample, Function<T, Instant> time) {
        Deque<T> kept = all.computeIfAbsent(key, k -> new ArrayDeque<>(DEPTH));
        if (!kept.isEmpty() && !time.apply(sample).isAfter(time.apply(kept.getLast()))) {
            return;
        }
        if (kept.size() == DEPTH) {
            kept.removeFirst();
        }
        kept.addLast(sample);
    }

    /** The time of the newest sample of {@code gpu}, if any is kept. */
    Optional<Instant> newestGpuSample(Vertex.Gpu gpu) {
        Deque<GpuSample> kept = gpus.get(gpu);
        return kept == null || kept.isEmpty() ? Optional.empty() : Optional.of(kept.getLast().timestamp());
    }

    /** The sample of {@code gpu} that describes a step that ended at {@code t} (see {@link #describing}). */
    Optional<GpuSample> gpuAt(Vertex.Gpu gpu, Instant t) {
        return describing(gpus.get(gpu), GpuSample::timestamp, t);
    }

    /** The sample of the host {@code nodeId} that describes a step that ended at {@code t}. */
    Optional<HostSample> hostAt(String nodeId, Instant t) {
        return describing(hosts.get(nodeId), HostSample::timestamp, t);
    }

    /**
     * The first sample taken at or after {@code t}, else the last one before it; either only within
     * {@link #MAX_DISTANCE} of {@code t}. The later sample is preferred because a sampler running at 1 Hz under
     * steps of 100 ms sees a throttle only after the steps it slowed: so the steps of an onset get the sample that
     * shows its cause.
     */
    static <T> Optional<T> describing(Deque<T> samples, Function<T, Instant> time, Instant t) {
        if (samples == null || samples.isEmpty()) {
            return Optional.empty();
        }
        T before = null;
        for (Iterator<T> it = samples.iterator(); it.hasNext(); ) {
            T s = it.next();
            Instant at = time.apply(s);
            if (!at.isBefore(t)) {
                return Duration.between(t, at).compareTo(MAX_DISTANCE) <= 0 ? Optional.of(s) : near(before, time, t);
            }
            before = s;
        }
        return near(before, time, t);
    }

    private static <T> Optional<T> near(T sample, Function<T, Instant> time, Instant t) {
        return sample != null && Duration.between(time.apply(sample), t).compareTo(MAX_DISTANCE) <= 0
                ? Optional.of(sample) : Optional.empty();
    }
}
