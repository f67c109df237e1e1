package dev.coxswain.dashboards.whatif;

import dev.coxswain.core.BadInputException;
import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.whatif.scenario.Question;
import dev.coxswain.whatif.scenario.Scenario;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.Fabric;
import dev.coxswain.whatif.spec.GpuType;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.Nics;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SwitchTier;
import dev.coxswain.whatif.spec.SyncSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A what-if scenario over the live cluster: the simulator's cluster and baseline job built from a snapshot, so that
 * questions about a running job ("batch 64", "worker 3 on node 1") are answered against what the cluster is now.
 * <ul>
 *   <li>Nodes are the graph's hosts with GPUs and the hosts of the job's CPU workers, in the order of their leaf
 *       switch, then their id; each is its own group. A host without GPUs has one CPU slot per worker of the job
 *       there, exchanging through memory at an assumed 5 GB/s (gloo over loopback). A GPU type is named as the GPU reports itself; its compute rate is taken as proportional to its
 *       maximum SM clock (right within one GPU generation, an assumption across generations).</li>
 *   <li>Links: a host's fabric is NVLink when its GPUs have NVLink links (per GPU, the sum of their capacities),
 *       else PCIe at the GPU's PCIe link; its NICs run at their network links' capacity; the leaf tier takes as many
 *       hosts as the fullest leaf switch, oversubscribed by its downlinks over its uplinks, under one spine.</li>
 *   <li>The job: its members in rank order on their GPUs, its pattern (a parameter-server job as BSP, which is
 *       what its membership tells), its gradient size, each worker's latest batch. Compute per sample is the median
 *       worker's measured compute time over batch; a worker measured more than 15% slower per sample than that is
 *       a straggler of its measured slowdown, so the baseline carries today's straggler. The forward share of
 *       compute (0.33) and the bucket size (25 MiB, PyTorch DDP's default) are assumptions.</li>
 * </ul>
 */
public final class LiveScenario {
    /** Steps the simulator runs per question. */
    public static final int STEPS = 30;
    /** A worker this much slower per sample than the median is a straggler in the baseline. */
    static final double STRAGGLER_RATIO = 1.15;
    private static final double GPU_LATENCY_SEC = 2e-6;
    private static final double NIC_LATENCY_SEC = 5e-6;
    private static final double SWITCH_LATENCY_SEC = 1e-6;
    private static final long BUCKET_BYTES = 25L << 20;
    /** A host without GPUs runs its workers on CPU: one slot per worker of the job there. */
    private static final GpuType CPU = new GpuType("CPU", 1, 1);
    /** CPU workers of one host exchange gradients through memory (gloo over loopback): assumed 5 GB/s each way. */
    private static final Fabric LOOPBACK = new Fabric(Fabric.Kind.NVSWITCH, 5e9, Double.POSITIVE_INFINITY, 10e-6);

    /** The scenario, with each worker's and node's index as questions name them. */
    public record Built(Scenario scenario, List<String> workers, List<String> nodes, double measuredStepMs) {
    }

    private LiveScenario() {
    }

    /** @throws BadInputException naming the job and what it lacks when it cannot be simulated */
    public static Built build(ClusterSnapshot snapshot, String jobId, List<Question> questions) {
        JobView job = snapshot.jobs().get(jobId);
        if (job == null) {
            throw bad(jobId, "is not a live job; live jobs: " + snapshot.jobs().keySet().stream().sorted().toList());
        }
        JobMembership membership = job.membership().orElseThrow(() -> bad(jobId,
                "has not announced its members yet (job.start), so its workers' GPUs are unknown"));
        Map<String, Integer> cpuSlots = new HashMap<>();
        Set<String> gpuHosts = gpuHosts(snapshot);
        for (JobMembership.Member m : membership.members()) {
            if (m.role() == JobMembership.Role.WORKER && !gpuHosts.contains(m.nodeId())) {
                cpuSlots.merge(m.nodeId(), 1, Integer::sum);
            }
        }
        List<String> nodes = orderedNodes(snapshot, cpuSlots.keySet());
        ClusterSpec cluster = cluster(snapshot, nodes, cpuSlots);
        List<String> names = new ArrayList<>();
        JobSpec baseline = spec(jobId, job, membership, nodes, cluster, names);
        return new Built(new Scenario("live " + jobId, cluster, baseline, questions, STEPS, 1, Optional.empty()),
                names, nodes, job.meanStepMs());
    }

    /**
     * The live cluster's GPU hosts as the simulator's cluster, and the running all-reduce jobs on it: what a new job
     * is placed among ({@code coxswain place --cluster live}).
     *
     * @param nodes   the hosts in the cluster's node order
     * @param running the jobs read, each on its GPUs, named by its id
     * @param skipped each job left out, and why: it said it ended, stopped reporting, synchronises through a
     *                parameter server, runs on CPUs, or lacks what a simulation needs
     * @param held    the GPUs that jobs left out but still running hold: not free, though their traffic is not scored
     */
    public record LiveCluster(ClusterSpec cluster, List<String> nodes, List<JobSpec> running,
                              Map<String, String> skipped, Set<Integer> held) {
        public LiveCluster {
            nodes = List.copyOf(nodes);
            running = List.copyOf(running);
            skipped = Map.copyOf(skipped);
            held = Set.copyOf(held);
        }

        /**
         * A link as the simulator names it ({@code <node>/<kind>}, a live host being node 0 of a group of its own),
         * with the host's own name: {@code n1/nic-tx}.
         */
        public String linkName(String simulated) {
            for (int n = 0; n < nodes.size(); n++) {
                String prefix = cluster.nodeName(n) + "/";
                if (simulated.startsWith(prefix)) {
                    return nodes.get(n) + "/" + simulated.substring(prefix.length());
                }
            }
            return simulated;
        }
    }

    /**
     * @throws BadInputException when the snapshot has no GPU host to place on
     */
    public static LiveCluster cluster(ClusterSnapshot snapshot) {
        List<String> nodes = orderedNodes(snapshot, Set.of());
        if (nodes.isEmpty()) {
            throw new BadInputException("live cluster", 0, "cluster",
                    "no host has reported a GPU yet (agents report their GPUs with each host sample)");
        }
        ClusterSpec cluster = cluster(snapshot, nodes, Map.of());
        int[] firstGpu = firstGpus(cluster);
        List<JobSpec> running = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        Set<Integer> held = new TreeSet<>();
        // The most recent first: a GPU two jobs claim (a job restarted under a new id) is the newer one's.
        Map<Integer, String> claimed = new HashMap<>();
        List<JobView> jobs = snapshot.jobs().values().stream().sorted(Comparator.comparing((JobView j) ->
                j.lastHeard().orElse(Instant.MIN)).reversed().thenComparing(JobView::jobId)).toList();
        for (JobView job : jobs) {
            Optional<String> gone = job.stoppedBy(snapshot.at());
            if (gone.isPresent()) {
                skipped.put(job.jobId(), gone.get());
                continue;
            }
            Set<Integer> gpus = new TreeSet<>();
            for (JobMembership.Member m : job.membership().map(JobMembership::members).orElse(List.of())) {
                int node = nodes.indexOf(m.nodeId());
                if (node >= 0 && m.gpuIndex() >= 0 && m.gpuIndex() < cluster.groups().get(node).gpusPerNode()) {
                    gpus.add(firstGpu[node] + m.gpuIndex());
                }
            }
            JobSpec spec = null;
            String problem = null;
            try {
                spec = spec(job.jobId(), job, job.membership().orElseThrow(() -> bad(job.jobId(),
                        "has not announced its members (job.start)")), nodes, cluster, new ArrayList<>());
                if (!(spec.sync() instanceof SyncSpec.AllReduce)) {
                    throw bad(job.jobId(), "synchronises through a parameter server; placement scores all-reduce"
                            + " jobs");
                }
                gpus.addAll(spec.workerGpus());
            } catch (BadInputException e) {
                problem = e.problem();
            }
            Optional<String> newer = gpus.stream().map(claimed::get).filter(Objects::nonNull).findFirst();
            if (newer.isPresent()) {
                skipped.put(job.jobId(), "its GPUs are claimed by " + newer.get() + ", which reported more recently");
                continue;
            }
            gpus.forEach(g -> claimed.put(g, job.jobId()));
            if (problem == null) {
                running.add(spec);
            } else {
                skipped.put(job.jobId(), problem);
                held.addAll(gpus);
            }
        }
        running.sort(Comparator.comparing(JobSpec::name));
        return new LiveCluster(cluster, nodes, running, skipped, held);
    }

    private static int[] firstGpus(ClusterSpec cluster) {
        int[] first = new int[cluster.groups().size()];
        for (int n = 1; n < first.length; n++) {
            first[n] = first[n - 1] + cluster.groups().get(n - 1).gpusPerNode();
        }
        return first;
    }

    /**
     * One live job as the simulator's, on {@code cluster} (hosts in {@code nodes}' order); adds its workers' ids to
     * {@code names}, in rank order.
     *
     * @throws BadInputException naming the job and what it lacks
     */
    private static JobSpec spec(String jobId, JobView job, JobMembership membership, List<String> nodes,
                                ClusterSpec cluster, List<String> names) {
        if (membership.gradientBytes() < 1) {
            throw bad(jobId, "did not report its gradient size (gradientBytes in job.start)");
        }
        int[] firstGpu = firstGpus(cluster);
        List<JobMembership.Member> workers = membership.members().stream()
                .filter(m -> m.role() == JobMembership.Role.WORKER).toList();
        List<Integer> gpus = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        List<Double> perSample = new ArrayList<>();
        for (JobMembership.Member m : workers) {
            int node = nodes.indexOf(m.nodeId());
            if (node < 0) {
                throw bad(jobId, "worker " + m.workerId() + " runs on host " + m.nodeId()
                        + ", which has reported no GPU");
            }
            int index = m.gpuIndex() >= 0 ? m.gpuIndex() : firstFree(gpus, firstGpu[node],
                    cluster.groups().get(node).gpusPerNode()) - firstGpu[node];
            if (index < 0 || index >= cluster.groups().get(node).gpusPerNode()) {
                throw bad(jobId, "worker " + m.workerId() + " has no GPU of its own on node " + m.nodeId());
            }
            List<StepPoint> steps = job.workers().getOrDefault(m.workerId(), List.of());
            if (steps.isEmpty()) {
                throw bad(jobId, "worker " + m.workerId() + " has reported no steps in the window yet");
            }
            StepPoint last = steps.getLast();
            gpus.add(firstGpu[node] + index);
            batches.add(Math.max(1, last.batchSize()));
            perSample.add(Median.of(steps.stream().filter(p -> p.batchSize() > 0 && p.computeMs() > 0)
                    .mapToDouble(p -> p.computeMs() / 1000 / p.batchSize()).toArray()));
            names.add(m.workerId());
        }
        if (gpus.isEmpty()) {
            throw bad(jobId, "has no workers");
        }
        double[] valid = perSample.stream().filter(v -> v > 0).mapToDouble(Double::doubleValue).toArray();
        if (valid.length == 0) {
            throw bad(jobId, "reports no compute time (compute_ms) with its steps, so its compute cost is unknown");
        }
        double median = Median.of(valid);
        List<JobSpec.Straggler> stragglers = new ArrayList<>();
        for (int w = 0; w < perSample.size(); w++) {
            if (perSample.get(w) > STRAGGLER_RATIO * median) {
                stragglers.add(new JobSpec.Straggler(w, perSample.get(w) / median, 0, Long.MAX_VALUE / 4));
            }
        }
        GpuType type = cluster.groups().get(nodes.indexOf(workers.getFirst().nodeId())).gpu();
        ModelProfile model = new ModelProfile(jobId, List.of(new ModelProfile.ComputeCost(type.name(), 0, median,
                type.tflops())), membership.gradientBytes(), BUCKET_BYTES, 0.33, 0.02);
        SyncSpec sync = switch (membership.pattern()) {
            case RING_ALLREDUCE -> new SyncSpec.AllReduce(SyncSpec.Algorithm.RING);
            case TREE_ALLREDUCE -> new SyncSpec.AllReduce(SyncSpec.Algorithm.TREE);
            case HIERARCHICAL_ALLREDUCE -> new SyncSpec.AllReduce(SyncSpec.Algorithm.HIERARCHICAL);
            case PARAMETER_SERVER -> new SyncSpec.ParameterServer(SyncSpec.Consistency.BSP, 0, serverNodes(
                    membership, nodes));
        };
        return new JobSpec(jobId, model, sync, gpus, batches, 1, STEPS, stragglers, 0);
    }

    private static BadInputException bad(String jobId, String problem) {
        return new BadInputException("live job " + jobId, 0, "job", problem);
    }

    private static int firstFree(List<Integer> used, int first, int count) {
        for (int g = first; g < first + count; g++) {
            if (!used.contains(g)) {
                return g;
            }
        }
        return -1;
    }

    private static List<Integer> serverNodes(JobMembership membership, List<String> nodes) {
        List<Integer> servers = membership.members().stream().filter(m -> m.role() == JobMembership.Role.PARAMETER_SERVER)
                .map(m -> nodes.indexOf(m.nodeId())).filter(n -> n >= 0).distinct().toList();
        return servers.isEmpty() ? List.of(0) : servers;
    }

    private static Set<String> gpuHosts(ClusterSnapshot snapshot) {
        Set<String> hosts = new HashSet<>();
        for (Vertex v : snapshot.graph().vertexSet()) {
            if (v instanceof Vertex.Gpu g) {
                hosts.add(g.nodeId());
            }
        }
        return hosts;
    }

    /**
     * Hosts with GPUs and the hosts of the job's CPU workers, grouped by their leaf switch so that the simulator's
     * contiguous leaves match.
     */
    static List<String> orderedNodes(ClusterSnapshot snapshot, Set<String> cpuHosts) {
        Map<String, String> leafOf = new HashMap<>();
        for (Link l : snapshot.graph().edgeSet()) {
            if (l.type() == Link.LinkType.NETWORK) {
                Vertex nic = l.a() instanceof Vertex.Nic ? l.a() : l.b();
                Vertex sw = nic == l.a() ? l.b() : l.a();
                leafOf.putIfAbsent(nic.nodeId(), sw.id());
            }
        }
        Set<String> hosts = new HashSet<>(gpuHosts(snapshot));
        hosts.addAll(cpuHosts);
        return hosts.stream().sorted(Comparator.comparing((String n) -> leafOf.getOrDefault(n, ""))
                        .thenComparing(Comparator.naturalOrder())).toList();
    }

    static ClusterSpec cluster(ClusterSnapshot snapshot, List<String> nodes, Map<String, Integer> cpuSlots) {
        Map<String, List<Vertex.Gpu>> gpus = new LinkedHashMap<>();
        for (Vertex v : snapshot.graph().vertexSet()) {
            if (v instanceof Vertex.Gpu g) {
                gpus.computeIfAbsent(g.nodeId(), k -> new ArrayList<>()).add(g);
            }
        }
        List<NodeGroup> groups = new ArrayList<>();
        for (String node : nodes) {
            List<Vertex.Gpu> mine = gpus.get(node);
            if (mine == null) {
                groups.add(new NodeGroup(node, 1, CPU, cpuSlots.get(node), LOOPBACK, nics(snapshot, node)));
                continue;
            }
            groups.add(new NodeGroup(node, 1, gpuType(snapshot, mine), mine.size(), fabric(snapshot, mine),
                    nics(snapshot, node)));
        }
        return new ClusterSpec("live", groups, tiers(snapshot));
    }

    private static GpuType gpuType(ClusterSnapshot snapshot, List<Vertex.Gpu> gpus) {
        Optional<GpuSample> sample = gpus.stream().map(snapshot.gpus()::get).filter(s -> s != null).findFirst();
        String name = sample.map(GpuSample::name).orElse("unknown GPU");
        double rate = sample.flatMap(s -> s.smClockMaxMhz().isPresent() ? Optional.of(s.smClockMaxMhz()
                .getAsDouble()) : Optional.empty()).orElse(1000.0);
        double memory = sample.map(s -> s.memoryTotalBytes() / (double) (1L << 30)).filter(m -> m > 0).orElse(1.0);
        return new GpuType(name, rate, memory);
    }

    private static Fabric fabric(ClusterSnapshot snapshot, List<Vertex.Gpu> gpus) {
        double nvlink = 0;
        double pcie = Double.POSITIVE_INFINITY;
        Vertex.Gpu first = gpus.getFirst();
        for (Link l : snapshot.graph().edgesOf(first)) {
            if (l.type() == Link.LinkType.NVLINK) {
                nvlink += l.capacityBytesPerSec();
            } else if (l.type() == Link.LinkType.PCIE) {
                pcie = Math.min(pcie, l.capacityBytesPerSec());
            }
        }
        if (nvlink > 0) {
            return new Fabric(Fabric.Kind.NVLINK, nvlink, Double.POSITIVE_INFINITY, GPU_LATENCY_SEC);
        }
        return new Fabric(Fabric.Kind.PCIE, Double.isInfinite(pcie) ? 16e9 : pcie, Double.POSITIVE_INFINITY,
                GPU_LATENCY_SEC);
    }

    private static Nics nics(ClusterSnapshot snapshot, String node) {
        List<Double> speeds = new ArrayList<>();
        for (Link l : snapshot.graph().edgeSet()) {
            if (l.type() == Link.LinkType.NETWORK && node.equals(l.a() instanceof Vertex.Nic ? l.a().nodeId()
                    : l.b().nodeId())) {
                speeds.add(l.capacityBytesPerSec());
            }
        }
        if (speeds.isEmpty()) {
            // A host with no cabled NIC in the graph: one slow NIC, so that leaving the node is never free.
            return new Nics(1, 1.25e9, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, NIC_LATENCY_SEC);
        }
        return new Nics(speeds.size(), speeds.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, NIC_LATENCY_SEC);
    }

    /** A leaf tier as wide as the fullest leaf switch, oversubscribed as the graph's leaves are, under one spine. */
    private static List<SwitchTier> tiers(ClusterSnapshot snapshot) {
        Map<Vertex, List<String>> hostsOf = new HashMap<>();
        Map<Vertex, double[]> downUp = new HashMap<>();
        for (Link l : snapshot.graph().edgeSet()) {
            if (l.type() == Link.LinkType.NETWORK) {
                Vertex nic = l.a() instanceof Vertex.Nic ? l.a() : l.b();
                Vertex sw = nic == l.a() ? l.b() : l.a();
                List<String> hosts = hostsOf.computeIfAbsent(sw, k -> new ArrayList<>());
                if (!hosts.contains(nic.nodeId())) {
                    hosts.add(nic.nodeId());
                }
                downUp.computeIfAbsent(sw, k -> new double[2])[0] += l.capacityBytesPerSec();
            }
        }
        for (Link l : snapshot.graph().edgeSet()) {
            if (l.type() == Link.LinkType.FABRIC) {
                for (Vertex end : List.of(l.a(), l.b())) {
                    if (downUp.containsKey(end)) {
                        downUp.get(end)[1] += l.capacityBytesPerSec();
                    }
                }
            }
        }
        if (hostsOf.isEmpty()) {
            return List.of();
        }
        int fanout = Math.max(2, hostsOf.values().stream().mapToInt(List::size).max().orElse(2));
        double oversubscription = downUp.values().stream().filter(d -> d[1] > 0).mapToDouble(d -> d[0] / d[1])
                .max().orElse(1);
        List<SwitchTier> tiers = new ArrayList<>();
        tiers.add(new SwitchTier("leaf", fanout, Math.max(1, oversubscription), SWITCH_LATENCY_SEC));
        if (hostsOf.size() > 1) {
            tiers.add(new SwitchTier("spine", Math.max(2, hostsOf.size()), 1, SWITCH_LATENCY_SEC));
        }
        return tiers;
    }
}
