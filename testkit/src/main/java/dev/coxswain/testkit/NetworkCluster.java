package dev.coxswain.testkit;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.BidirectionalDijkstraShortestPath;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster as a collector would snapshot it, for the network model's tests: nodes {@code a} and {@code b}, four
 * GPUs each on NVLink and PCIe, one NIC each ({@code mlx5_0}, {@link #uplinkGbps}) to one switch, {@code tor}. Jobs
 * are added with their members and steps; their transfers are planned and routed as the collector does (its
 * {@code FlowPlanner} and shortest-path routes).
 */
public final class NetworkCluster {
    public static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private final double uplinkBytesPerSec;
    private final List<JobView> jobs = new ArrayList<>();

    public NetworkCluster(double uplinkGbps) {
        this.uplinkBytesPerSec = uplinkGbps * 1e9 / 8;
    }

    /** The uplink of {@code node}: its NIC to the switch. */
    public Link uplink(String node) {
        return new Link(new Vertex.Nic(node, "mlx5_0"), new Vertex.Switch("tor"), Link.LinkType.NETWORK,
                uplinkBytesPerSec);
    }

    private SnapshotBuilder physical() {
        SnapshotBuilder b = new SnapshotBuilder();
        for (String node : List.of("a", "b")) {
            for (int g = 0; g < 4; g++) {
                b.gpu(node, g, 32e9, 0);
                if (g > 0) {
                    b.nvlink(node, g - 1, g, 300e9, 0);
                }
            }
            b.nic(node, "mlx5_0", 32e9, 0);
            b.link(uplink(node), 0);
        }
        return b;
    }

    /** A worker, by name, on {@code node}'s GPU {@code gpu} (-1: the host, as a parameter server). */
    public record Place(String worker, String node, int gpu) {
    }

    /**
     * Adds a running job whose workers each took {@code stepMs} a step, {@code commMs} of it communicating, over
     * their last {@code steps} steps.
     */
    public NetworkCluster job(String id, JobMembership.CommPattern pattern, long gradientBytes, List<Place> places,
                              double stepMs, double commMs, int steps) {
        return add(id, pattern, gradientBytes, places, stepMs, commMs, steps, false);
    }

    /** Adds a job that said it ended. */
    public NetworkCluster endedJob(String id, List<Place> places) {
        return add(id, JobMembership.CommPattern.RING_ALLREDUCE, 1 << 20, places, 100, 10, 5, true);
    }

    /** Adds a job with steps but no membership yet. */
    public NetworkCluster jobWithoutMembership(String id) {
        jobs.add(new JobView(id, Optional.empty(), Map.of("w0", points(100, 10, 5)), 100, List.of()));
        return this;
    }

    private NetworkCluster add(String id, JobMembership.CommPattern pattern, long gradientBytes, List<Place> places,
                               double stepMs, double commMs, int steps, boolean ended) {
        List<JobMembership.Member> members = places.stream().map(p -> new JobMembership.Member(p.worker(), p.node(),
                p.gpu(), p.gpu() < 0 ? JobMembership.Role.PARAMETER_SERVER : JobMembership.Role.WORKER)).toList();
        JobMembership membership = new JobMembership(id, AT, pattern, gradientBytes, members);
        ClusterSnapshot bare = physical().build(1, AT);
        List<Flow> flows = new ArrayList<>();
        for (Transfer t : plan(membership)) {
            GraphPath<Vertex, Link> path = BidirectionalDijkstraShortestPath.findPathBetween(bare.graph(),
                    place(t.from()), place(t.to()));
            flows.add(new Flow(id, t.from().workerId(), t.to().workerId(), t.bytes(), t.bytes() / stepMs * 1000,
                    path.getEdgeList()));
        }
        Map<String, List<StepPoint>> workers = new HashMap<>();
        members.stream().filter(m -> m.role() == JobMembership.Role.WORKER)
                .forEach(m -> workers.put(m.workerId(), points(stepMs, commMs, steps)));
        List<JobEvent> events = ended ? List.of(new JobEvent(id, Optional.empty(), AT, JobEvent.JOB_END, Map.of()))
                : List.of();
        jobs.add(new JobView(id, Optional.of(membership), workers, stepMs, flows, events));
        return this;
    }

    private static List<StepPoint> points(double stepMs, double commMs, int steps) {
        List<StepPoint> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            out.add(new StepPoint(s, AT.plusMillis((long) (s * stepMs)), stepMs, stepMs - commMs, commMs, 0, 64));
        }
        return out;
    }

    private static Vertex place(JobMembership.Member m) {
        return m.gpuIndex() >= 0 ? new Vertex.Gpu(m.nodeId(), m.gpuIndex()) : new Vertex.Host(m.nodeId());
    }

    private record Transfer(JobMembership.Member from, JobMembership.Member to, double bytes) {
    }

    /**
     * The collector's plan: a ring to the next worker, a binary tree, a push and a pull per server, or a ring inside
     * each node and one per local rank across the nodes.
     */
    private static List<Transfer> plan(JobMembership job) {
        List<JobMembership.Member> w = job.members().stream()
                .filter(m -> m.role() == JobMembership.Role.WORKER).toList();
        List<JobMembership.Member> s = job.members().stream()
                .filter(m -> m.role() == JobMembership.Role.PARAMETER_SERVER).toList();
        double g = job.gradientBytes();
        int n = w.size();
        List<Transfer> out = new ArrayList<>();
        switch (job.pattern()) {
            case RING_ALLREDUCE -> {
                for (int i = 0; i < n; i++) {
                    out.add(new Transfer(w.get(i), w.get((i + 1) % n), 2.0 * (n - 1) / n * g));
                }
            }
            case TREE_ALLREDUCE -> {
                for (int i = 1; i < n; i++) {
                    out.add(new Transfer(w.get(i), w.get((i - 1) / 2), g));
                    out.add(new Transfer(w.get((i - 1) / 2), w.get(i), g));
                }
            }
            case HIERARCHICAL_ALLREDUCE -> {
                Map<String, List<JobMembership.Member>> byNode = new java.util.LinkedHashMap<>();
                w.forEach(m -> byNode.computeIfAbsent(m.nodeId(), k -> new ArrayList<>()).add(m));
                int local = byNode.values().iterator().next().size();
                for (List<JobMembership.Member> node : byNode.values()) {
                    for (int i = 0; node.size() > 1 && i < node.size(); i++) {
                        out.add(new Transfer(node.get(i), node.get((i + 1) % node.size()),
                                2.0 * (node.size() - 1) / node.size() * g));
                    }
                }
                int k = byNode.size();
                for (int rank = 0; k > 1 && rank < local; rank++) {
                    List<JobMembership.Member> ring = new ArrayList<>();
                    for (List<JobMembership.Member> node : byNode.values()) {
                        ring.add(node.get(rank));
                    }
                    for (int i = 0; i < k; i++) {
                        out.add(new Transfer(ring.get(i), ring.get((i + 1) % k), 2.0 * (k - 1) / k * g / local));
                    }
                }
            }
            case PARAMETER_SERVER -> {
                for (JobMembership.Member worker : w) {
                    for (JobMembership.Member server : s) {
                        out.add(new Transfer(worker, server, g / s.size()));
                        out.add(new Transfer(server, worker, g / s.size()));
                    }
                }
            }
        }
        return out;
    }

    public ClusterSnapshot snapshot(long generation, Instant at) {
        SnapshotBuilder b = physical();
        jobs.forEach(b::job);
        return b.build(generation, at);
    }
}
