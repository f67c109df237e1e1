package dev.coxswain.testkit;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.Vertex;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.SimpleGraph;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Builds a {@link ClusterSnapshot} for tests the way a cluster is cabled: hosts with their GPUs and NICs on PCIe,
 * NVLink between GPUs, NICs to leaf switches and leaves to spines; then link loads, the latest samples and jobs.
 * Vertices are added when a link first names them. Not thread-safe; one builder per snapshot.
 */
public final class SnapshotBuilder {
    private final SimpleGraph<Vertex, Link> graph = new SimpleGraph<>(Link.class);
    private final Map<Link, Double> load = new HashMap<>();
    private final Map<Vertex.Gpu, GpuSample> gpus = new HashMap<>();
    private final Map<String, HostSample> hosts = new HashMap<>();
    private final Map<String, JobView> jobs = new LinkedHashMap<>();

    /** Adds {@code link} (and its ends) carrying {@code bytesPerSec}; a load of 0 is no load. */
    public Link link(Link link, double bytesPerSec) {
        graph.addVertex(link.a());
        graph.addVertex(link.b());
        graph.addEdge(link.a(), link.b(), link);
        if (bytesPerSec > 0) {
            load.put(link, bytesPerSec);
        }
        return link;
    }

    /** A vertex with no link yet (a switch, say). */
    public SnapshotBuilder vertex(Vertex v) {
        graph.addVertex(v);
        return this;
    }

    /** Host {@code node}'s GPU {@code index} on the host's PCIe. */
    public Link gpu(String node, int index, double pcieBytesPerSec, double loadBytesPerSec) {
        return link(new Link(new Vertex.Gpu(node, index), new Vertex.Host(node), Link.LinkType.PCIE, pcieBytesPerSec),
                loadBytesPerSec);
    }

    /** NVLink between two GPUs of {@code node}. */
    public Link nvlink(String node, int a, int b, double bytesPerSec, double loadBytesPerSec) {
        return link(new Link(new Vertex.Gpu(node, a), new Vertex.Gpu(node, b), Link.LinkType.NVLINK, bytesPerSec),
                loadBytesPerSec);
    }

    /** Host {@code node}'s NIC {@code name} on the host's PCIe. */
    public Link nic(String node, String name, double pcieBytesPerSec, double loadBytesPerSec) {
        return link(new Link(new Vertex.Nic(node, name), new Vertex.Host(node), Link.LinkType.PCIE, pcieBytesPerSec),
                loadBytesPerSec);
    }

    /** The cable from a host's NIC to its leaf switch. */
    public Link uplink(String node, String nic, String leaf, double bytesPerSec, double loadBytesPerSec) {
        return link(new Link(new Vertex.Nic(node, nic), new Vertex.Switch(leaf), Link.LinkType.NETWORK, bytesPerSec),
                loadBytesPerSec);
    }

    /** A leaf switch's link to a spine. */
    public Link fabric(String leaf, String spine, double bytesPerSec, double loadBytesPerSec) {
        return link(new Link(new Vertex.Switch(leaf), new Vertex.Switch(spine), Link.LinkType.FABRIC, bytesPerSec),
                loadBytesPerSec);
    }

    public SnapshotBuilder sample(GpuSample s) {
        gpus.put(new Vertex.Gpu(s.nodeId(), s.index()), s);
        return this;
    }

    public SnapshotBuilder sample(HostSample s) {
        hosts.put(s.nodeId(), s);
        return this;
    }

    public SnapshotBuilder job(JobView job) {
        jobs.put(job.jobId(), job);
        return this;
    }

    public ClusterSnapshot build(long generation, Instant at) {
        return new ClusterSnapshot(generation, at, new AsUnmodifiableGraph<>(graph), load, gpus, hosts, jobs);
    }

    /**
     * A GPU sample with the readings tests vary; memory 80 GiB, power limit 700 W and no PCIe or NVLink counters.
     *
     * @param throttleMask NVML clocks-event reasons ({@link GpuSample.ThrottleReason#mask()})
     */
    public static GpuSample gpuSample(String node, int index, Instant at, String name, double utilPct,
                                      long memoryUsedBytes, double smClockMhz, double smClockMaxMhz, double powerW,
                                      double temperatureC, long throttleMask) {
        return new GpuSample(node, at, index, "GPU-" + node + "-" + index, name, OptionalDouble.of(utilPct),
                memoryUsedBytes, 80L << 30, OptionalDouble.of(smClockMhz), OptionalDouble.of(smClockMaxMhz),
                OptionalDouble.of(powerW), OptionalDouble.of(700), OptionalDouble.of(temperatureC), throttleMask,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }
}
