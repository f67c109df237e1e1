package dev.coxswain.dashboards;

import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Gauges over the snapshot the dashboard serves: graph size, jobs, generation and age. They read
 * {@link SnapshotSource#latest()} when scraped, which never blocks.
 */
final class SnapshotGauges implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters;

    SnapshotGauges(SnapshotSource source, Clock clock, MeterRegistry registry) {
        this.registry = registry;
        meters = List.of(
                gauge(registry, source, "coxswain.dashboard.snapshot.vertices", "vertices",
                        "Vertices (hosts, GPUs, NICs, switches) in the graph the dashboard shows",
                        s -> s.graph().vertexSet().size()),
                gauge(registry, source, "coxswain.dashboard.snapshot.links", "links",
                        "Links in the graph the dashboard shows", s -> s.graph().edgeSet().size()),
                gauge(registry, source, "coxswain.dashboard.snapshot.jobs", "jobs",
                        "Jobs in the snapshot the dashboard shows", s -> s.jobs().size()),
                gauge(registry, source, "coxswain.dashboard.snapshot.generation", null,
                        "Generation of the snapshot the dashboard shows", ClusterSnapshot::generation),
                gauge(registry, source, "coxswain.dashboard.snapshot.age", "seconds",
                        "Time since the snapshot the dashboard shows was taken; NaN before the first",
                        s -> s.generation() == 0 ? Double.NaN
                                : Duration.between(s.at(), clock.instant()).toNanos() / 1e9));
    }

    private static Gauge gauge(MeterRegistry registry, SnapshotSource source, String name, String unit,
                               String description, ToDoubleFunction<ClusterSnapshot> value) {
        return Gauge.builder(name, source, src -> value.applyAsDouble(src.latest()))
                .description(description).baseUnit(unit).register(registry);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
