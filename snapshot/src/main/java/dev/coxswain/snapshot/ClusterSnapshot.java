package dev.coxswain.snapshot;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import org.jgrapht.Graph;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view of the cluster at one moment, published by the collector thread that owns the live state.
 * Readers on any thread may keep and traverse it. Generations increase by one per published snapshot.
 *
 * @param graph        the physical graph (unmodifiable): hosts, GPUs, NICs and switches joined by links
 * @param linkLoad     bytes per second on each link: the sum of the rates of the job flows routed over it
 * @param gpus         the latest sample of each GPU that reported one
 * @param hosts        the latest sample of each host, by node id
 * @param jobs         every job the collector owns, by job id
 */
public record ClusterSnapshot(long generation, Instant at, Graph<Vertex, Link> graph, Map<Link, Double> linkLoad,
                              Map<Vertex.Gpu, GpuSample> gpus, Map<String, HostSample> hosts,
                              Map<String, JobView> jobs) {
    public ClusterSnapshot {
        linkLoad = Map.copyOf(linkLoad);
        gpus = Map.copyOf(gpus);
        hosts = Map.copyOf(hosts);
        jobs = Map.copyOf(jobs);
    }

    /** Load over capacity, 0 for a link that carries no flow. */
    public double utilization(Link link) {
        return linkLoad.getOrDefault(link, 0.0) / link.capacityBytesPerSec();
    }

    /**
     * When the newest telemetry in the snapshot was taken: its latest GPU sample, host sample or step. A collector
     * keeps taking snapshots while no telemetry reaches it (Kafka down, agents gone), so this, not {@link #at}, says
     * how stale what it shows is. Empty when the snapshot holds no telemetry.
     */
    public Optional<Instant> newestData() {
        Instant newest = null;
        for (GpuSample g : gpus.values()) {
            newest = later(newest, g.timestamp());
        }
        for (HostSample h : hosts.values()) {
            newest = later(newest, h.timestamp());
        }
        for (JobView job : jobs.values()) {
            for (List<StepPoint> points : job.workers().values()) {
                if (!points.isEmpty()) {
                    newest = later(newest, points.getLast().timestamp());
                }
            }
        }
        return Optional.ofNullable(newest);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
