package dev.coxswain.graphmodels.gnn;

import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import org.jgrapht.Graph;
import org.jgrapht.GraphPath;
import org.jgrapht.alg.shortestpath.BidirectionalDijkstraShortestPath;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs of a collector's snapshot as the graph network reads them, and what their workers measured. Each job's
 * collective becomes the phases the simulator moves (issue 13): one for a ring or tree all-reduce, crossing every
 * link its transfers cross; a push and a pull for a parameter server. The snapshot's links carry their capacity
 * per direction, so each is read as one link per direction that a transfer crosses it in.
 *
 * <p>A job is read when it has not ended, its membership and gradient size are known, its transfers are routed and
 * its workers have reported steps; the others are left out, each with why ({@link #skipped}). A snapshot with no job
 * to read gives an empty network ({@link #isEmpty}), which has no graph.
 */
public final class SnapshotNetwork {
    /** Each worker's most recent steps that its measured times are averaged over. */
    static final int RECENT_STEPS = 20;
    /** Latency of a hop that leaves its node, and of one that stays inside: the what-if cluster files' defaults. */
    static final double NETWORK_HOP_SEC = 10e-6;
    static final double NODE_HOP_SEC = 5e-6;

    /** A link in the direction a transfer crosses it: from {@code a} to {@code b} when {@code forward}. */
    public record DirectedLink(Link link, boolean forward) {
        public Vertex from() {
            return forward ? link.a() : link.b();
        }

        public Vertex to() {
            return forward ? link.b() : link.a();
        }
    }

    /**
     * A job as read, per training step.
     *
     * @param otherSec what is not communication: the median over workers of their mean step less communication
     * @param commSec  the median over workers of their mean reported communication time; NaN when none reports
     *                 any (then {@code otherSec} is the whole step)
     */
    public record MeasuredJob(String jobId, double otherSec, double commSec) {
    }

    /** A job's worker placed on {@code to} (its GPU, or its host) instead of where it runs. */
    public record Move(String jobId, String workerId, Vertex to) {
        public Move {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(to, "to");
        }
    }

    private final FlowGraph graph;
    private final List<MeasuredJob> jobs;
    private final List<DirectedLink> rows;
    private final Map<String, String> skipped;

    private SnapshotNetwork(FlowGraph graph, List<MeasuredJob> jobs, List<DirectedLink> rows,
                            Map<String, String> skipped) {
        this.graph = graph;
        this.jobs = jobs;
        this.rows = rows;
        this.skipped = skipped;
    }

    /** The snapshot's jobs as they run; empty when no job can be read. */
    public static SnapshotNetwork of(ClusterSnapshot snapshot) {
        return read(snapshot, null, Set.of(), 1);
    }

    /**
     * The snapshot's jobs with {@code move} made: the moved worker's transfers routed from its new place by the
     * shortest path, as the collector routes them.
     *
     * @throws IllegalArgumentException when the job or worker is not in the snapshot, or the place is not in its graph
     */
    public static SnapshotNetwork withMove(ClusterSnapshot snapshot, Move move) {
        JobView job = snapshot.jobs().get(move.jobId());
        if (job == null || !job.workers().containsKey(move.workerId())
                && job.membership().stream().flatMap(m -> m.members().stream())
                .noneMatch(m -> m.workerId().equals(move.workerId()))) {
            throw new IllegalArgumentException("cannot move " + move.workerId() + " of job " + move.jobId()
                    + ": no such worker in the snapshot");
        }
        if (!snapshot.graph().containsVertex(move.to())) {
            throw new IllegalArgumentException("cannot move " + move.workerId() + " to " + move.to().id()
                    + ": not in the cluster graph");
        }
        return read(snapshot, move, Set.of(), 1);
    }

    /** The snapshot's jobs with the capacity of {@code links}, each in its direction, times {@code factor}. */
    public static SnapshotNetwork withCapacity(ClusterSnapshot snapshot, Set<DirectedLink> links, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("capacity factor " + factor + ": must be positive and finite");
        }
        return read(snapshot, null, links, factor);
    }

    private static SnapshotNetwork read(ClusterSnapshot snapshot, Move move, Set<DirectedLink> scaled,
                                        double factor) {
        FlowGraphBuilder b = new FlowGraphBuilder();
        Map<DirectedLink, Integer> index = new HashMap<>();
        List<DirectedLink> byIndex = new ArrayList<>();
        List<MeasuredJob> measured = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<JobView> views = new ArrayList<>(snapshot.jobs().values());
        views.sort(Comparator.comparing(JobView::jobId));
        for (JobView view : views) {
            Optional<String> why = unreadable(view, snapshot.at());
            if (why.isPresent()) {
                skipped.put(view.jobId(), why.get());
                continue;
            }
            JobMembership membership = view.membership().orElseThrow();
            Map<String, JobMembership.Member> members = new HashMap<>();
            membership.members().forEach(m -> members.put(m.workerId(), m));
            List<Phase> phases = phases(snapshot.graph(), view, membership, members,
                    move != null && move.jobId().equals(view.jobId()) ? move : null);
            if (phases.isEmpty()) {
                skipped.put(view.jobId(), "its transfers cross no link");
                continue;
            }
            MeasuredJob m = measure(view);
            int job = b.job(m.otherSec());
            measured.add(m);
            for (Phase phase : phases) {
                List<Integer> links = new ArrayList<>();
                double bytes = 0;
                double hopSec = NODE_HOP_SEC;
                for (Hop hop : phase.hops()) {
                    bytes = Math.max(bytes, hop.bytes);
                    for (DirectedLink d : hop.links) {
                        links.add(index.computeIfAbsent(d, k -> {
                            byIndex.add(k);
                            double capacity = k.link().capacityBytesPerSec() * (scaled.contains(k) ? factor : 1);
                            return b.link(type(k.link().type()), capacity);
                        }));
                        if (d.link().type() == Link.LinkType.NETWORK || d.link().type() == Link.LinkType.FABRIC) {
                            hopSec = NETWORK_HOP_SEC;
                        }
                    }
                }
                b.flow(job, links.stream().mapToInt(Integer::intValue).toArray(), bytes, Double.POSITIVE_INFINITY,
                        phase.steps() * hopSec);
            }
        }
        if (measured.isEmpty()) {
            return new SnapshotNetwork(null, List.of(), List.of(), skipped);
        }
        FlowGraph graph = b.build();
        List<DirectedLink> rows = Arrays.stream(graph.linkIds()).mapToObj(byIndex::get).toList();
        return new SnapshotNetwork(graph, List.copyOf(measured), rows, skipped);
    }

    private static Optional<String> unreadable(JobView view, Instant at) {
        Optional<String> stopped = view.stoppedBy(at);
        if (stopped.isPresent()) {
            return stopped;
        }
        if (view.membership().isEmpty()) {
            return Optional.of("its membership is not known yet");
        }
        if (view.membership().get().gradientBytes() == 0) {
            return Optional.of("its gradient size is not known");
        }
        if (view.flows().isEmpty()) {
            return Optional.of("its transfers are not routed (topology not known)");
        }
        if (view.workers().values().stream().allMatch(List::isEmpty)) {
            return Optional.of("its workers have reported no steps yet");
        }
        return Optional.empty();
    }

    /** One transfer: what it moves per step over its links, in the direction it crosses them. */
    private record Hop(double bytes, List<DirectedLink> links) {
    }

    /**
     * One phase of a collective: transfers that move at once, and the steps of the collective that each pay a hop's
     * latency, as the simulator counts them for one bucket.
     */
    private record Phase(List<Hop> hops, int steps) {
    }

    /**
     * The job's phases, of its transfers that cross at least one link; none when no transfer does. A ring or a tree
     * is one phase; a parameter server pushes, then pulls; a hierarchical all-reduce works inside the nodes (its
     * reduce-scatter and all-gather), and across them.
     */
    private static List<Phase> phases(Graph<Vertex, Link> graph, JobView view, JobMembership membership,
                                      Map<String, JobMembership.Member> members, Move move) {
        List<Hop> first = new ArrayList<>();
        List<Hop> rest = new ArrayList<>();
        for (Flow f : view.flows()) {
            JobMembership.Member from = members.get(f.fromWorker());
            JobMembership.Member to = members.get(f.toWorker());
            if (from == null || to == null) {
                continue;
            }
            Vertex start = place(graph, from, move);
            List<Link> route = f.route();
            if (move != null && (from.workerId().equals(move.workerId()) || to.workerId().equals(move.workerId()))) {
                Vertex end = place(graph, to, move);
                GraphPath<Vertex, Link> path = start.equals(end) ? null
                        : BidirectionalDijkstraShortestPath.findPathBetween(graph, start, end);
                route = path == null ? List.of() : path.getEdgeList();
            }
            if (route.isEmpty()) {
                continue;
            }
            Hop hop = new Hop(f.bytesPerStep(), directed(route, start));
            boolean firstPhase = switch (membership.pattern()) {
                case PARAMETER_SERVER -> to.role() == JobMembership.Role.PARAMETER_SERVER;
                case HIERARCHICAL_ALLREDUCE -> from.nodeId().equals(to.nodeId());
                case RING_ALLREDUCE, TREE_ALLREDUCE -> false;
            };
            (firstPhase ? first : rest).add(hop);
        }
        List<JobMembership.Member> workers = membership.members().stream()
                .filter(x -> x.role() == JobMembership.Role.WORKER).toList();
        int n = workers.size();
        int nodes = (int) workers.stream().map(JobMembership.Member::nodeId).distinct().count();
        int perNode = (int) Math.ceil((double) n / Math.max(1, nodes));
        int[] steps = switch (membership.pattern()) {
            case RING_ALLREDUCE -> new int[]{0, 2 * Math.max(1, n - 1)};
            case TREE_ALLREDUCE -> new int[]{0, 2 * Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)))};
            case PARAMETER_SERVER -> new int[]{1, 1};
            case HIERARCHICAL_ALLREDUCE -> new int[]{2 * Math.max(1, perNode - 1), 2 * Math.max(1, nodes - 1)};
        };
        List<Phase> out = new ArrayList<>();
        if (!first.isEmpty()) {
            out.add(new Phase(first, steps[0]));
        }
        if (!rest.isEmpty()) {
            out.add(new Phase(rest, steps[1]));
        }
        return out;
    }

    /** Where a member runs: where a move puts it, else its GPU when the graph has it, else its host. */
    private static Vertex place(Graph<Vertex, Link> graph, JobMembership.Member m, Move move) {
        if (move != null && m.workerId().equals(move.workerId())) {
            return move.to();
        }
        Vertex gpu = new Vertex.Gpu(m.nodeId(), m.gpuIndex());
        return m.gpuIndex() >= 0 && graph.containsVertex(gpu) ? gpu : new Vertex.Host(m.nodeId());
    }

    /** The route's links in the direction of travel from {@code start}; forward where the walk loses its way. */
    private static List<DirectedLink> directed(List<Link> route, Vertex start) {
        List<DirectedLink> out = new ArrayList<>(route.size());
        Vertex at = start;
        for (Link l : route) {
            boolean forward = !l.b().equals(at);
            out.add(new DirectedLink(l, forward));
            at = forward ? l.b() : l.a();
        }
        return out;
    }

    private static MeasuredJob measure(JobView view) {
        List<Double> other = new ArrayList<>();
        List<Double> comm = new ArrayList<>();
        for (List<StepPoint> points : view.workers().values()) {
            if (points.isEmpty()) {
                continue;
            }
            List<StepPoint> recent = points.subList(Math.max(0, points.size() - RECENT_STEPS), points.size());
            other.add(recent.stream().mapToDouble(p -> Math.max(0, p.stepTimeMs() - p.commMs())).average()
                    .orElseThrow() / 1000);
            if (recent.stream().anyMatch(p -> p.commMs() > 0)) {
                comm.add(recent.stream().mapToDouble(StepPoint::commMs).average().orElseThrow() / 1000);
            }
        }
        return new MeasuredJob(view.jobId(), Median.of(other), comm.isEmpty() ? Double.NaN : Median.of(comm));
    }

    static LinkType type(Link.LinkType type) {
        return switch (type) {
            case NVLINK, PCIE -> LinkType.DEVICE;
            case NETWORK -> LinkType.NIC;
            case FABRIC -> LinkType.SWITCH;
        };
    }

    /** Whether no job could be read. */
    public boolean isEmpty() {
        return graph == null;
    }

    /**
     * @throws IllegalStateException when no job could be read
     */
    public FlowGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("no job of the snapshot could be read: " + skipped);
        }
        return graph;
    }

    /** The index of {@code jobId} among {@link #jobs()}; -1 when it was not read. */
    public int indexOf(String jobId) {
        for (int j = 0; j < jobs.size(); j++) {
            if (jobs.get(j).jobId().equals(jobId)) {
                return j;
            }
        }
        return -1;
    }

    /** The jobs read, in the graph's job order. */
    public List<MeasuredJob> jobs() {
        return jobs;
    }

    /** The link of each of the graph's link rows, in the direction it is crossed. */
    public List<DirectedLink> links() {
        return rows;
    }

    /** The jobs left out, each with why. */
    public Map<String, String> skipped() {
        return skipped;
    }
}
