package dev.coxswain.dashboards;

import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link.LinkType;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.testkit.SnapshotBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A small hand-built cluster for the dashboard's tests: two hosts of four GPUs (NVLink between every pair), one NIC
 * each on its own leaf switch under one spine, and two jobs. Link loads are fixed so that every {@code LoadLevel}
 * appears; step points are a deterministic function of time, so any snapshot can be rebuilt from its instant.
 */
public final class ClusterFixture {
    public static final String BIG_JOB = "resnet-ddp";
    public static final String SMALL_JOB = "bert-ft";
    public static final double NVLINK_CAPACITY = 300e9;
    public static final double PCIE_CAPACITY = 32e9;
    public static final double NETWORK_CAPACITY = 25e9;
    public static final double FABRIC_CAPACITY = 50e9;
    private static final Duration STEP_WINDOW = Duration.ofSeconds(150);

    public final Vertex.Switch spine = new Vertex.Switch("spine");
    public final Vertex.Switch tor1 = new Vertex.Switch("tor-1");
    public final Vertex.Switch tor2 = new Vertex.Switch("tor-2");
    public final Vertex.Host n1 = new Vertex.Host("n1");
    public final Vertex.Host n2 = new Vertex.Host("n2");
    public final Vertex.Nic nic1 = new Vertex.Nic("n1", "mlx5_0");
    public final Vertex.Nic nic2 = new Vertex.Nic("n2", "mlx5_0");
    /** n1's NIC to its switch: saturated unless told otherwise. */
    public final Link nic1Uplink = new Link(nic1, tor1, LinkType.NETWORK, NETWORK_CAPACITY);
    /** n2's NIC to its switch: high. */
    public final Link nic2Uplink = new Link(nic2, tor2, LinkType.NETWORK, NETWORK_CAPACITY);
    public final Link tor1Spine = new Link(tor1, spine, LinkType.FABRIC, FABRIC_CAPACITY);
    public final Link tor2Spine = new Link(tor2, spine, LinkType.FABRIC, FABRIC_CAPACITY);

    private final Instant start;
    private final long seed;
    private final Map<String, Long> periodMsByWorker = new LinkedHashMap<>();
    /** What nvidia-smi calls every GPU: free text from the node, which the page must show as text. */
    private volatile String gpuName = "NVIDIA H100 80GB HBM3";

    public ClusterFixture(Instant start, long seed) {
        this.start = start;
        this.seed = seed;
        for (int w = 0; w < 4; w++) {
            periodMsByWorker.put(BIG_JOB + "/w" + w, w == 3 ? 420L : 300L);
        }
        periodMsByWorker.put(SMALL_JOB + "/w0", 800L);
        periodMsByWorker.put(SMALL_JOB + "/w1", 800L);
    }

    public Vertex.Gpu gpu(String node, int index) {
        return new Vertex.Gpu(node, index);
    }

    /** The snapshot at {@code at}: every step made since the fixture's start, within the last 150 s. */
    public ClusterSnapshot snapshot(long generation, Instant at) {
        return snapshot(generation, at, 0.95);
    }

    /** The same, with n1's uplink at {@code uplinkUtilization} of its capacity instead of 95%. */
    public ClusterSnapshot snapshot(long generation, Instant at, double uplinkUtilization) {
        SnapshotBuilder b = new SnapshotBuilder().vertex(spine).vertex(tor1).vertex(tor2);
        b.link(tor1Spine, 0.55 * FABRIC_CAPACITY);
        b.link(tor2Spine, 0.2 * FABRIC_CAPACITY);
        for (Vertex.Host host : List.of(n1, n2)) {
            addHost(b, host.nodeId(), at);
        }
        b.link(nic1Uplink, uplinkUtilization * NETWORK_CAPACITY);
        b.link(nic2Uplink, 0.8 * NETWORK_CAPACITY);
        return b.job(bigJob(at)).job(smallJob(at)).build(generation, at);
    }

    private void addHost(SnapshotBuilder b, String node, Instant at) {
        b.vertex(new Vertex.Host(node)).vertex(new Vertex.Nic(node, "mlx5_0"));
        b.nic(node, "mlx5_0", PCIE_CAPACITY, 0.3 * PCIE_CAPACITY);
        for (int i = 0; i < 4; i++) {
            b.gpu(node, i, PCIE_CAPACITY, i < 2 ? 0.1 * PCIE_CAPACITY : 0);
            b.sample(gpuSample(node, i, at));
        }
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                double util = i == 0 && j == 1 ? 0.5 : (i == 2 && j == 3 ? 0.2 : 0);
                b.nvlink(node, i, j, NVLINK_CAPACITY, util * NVLINK_CAPACITY);
            }
        }
        b.sample(new HostSample(node, at, node.equals("n1") ? 38 : 22, 1.5, 512L << 30, 300L << 30,
                List.of(new HostSample.NicSample("mlx5_0", 9e9, 11e9, 0, 0, 0, 0)), List.of()));
    }

    /** Names every GPU {@code name} from the next snapshot on. */
    public void gpuName(String name) {
        gpuName = name;
    }

    private GpuSample gpuSample(String node, int index, Instant at) {
        boolean busy = index < 2 || node.equals("n1");
        boolean hot = node.equals("n2") && index == 1;
        return SnapshotBuilder.gpuSample(node, index, at, gpuName, busy ? 92 - index : 3,
                busy ? 61L << 30 : 1L << 30, hot ? 1410 : 1980, 1980, hot ? 700 : 540, hot ? 87 : 64,
                hot ? GpuSample.ThrottleReason.SW_POWER_CAP.mask() : 0);
    }

    private JobView bigJob(Instant at) {
        List<JobMembership.Member> members = new ArrayList<>();
        Map<String, List<StepPoint>> workers = new LinkedHashMap<>();
        for (int w = 0; w < 4; w++) {
            String node = w < 2 ? "n1" : "n2";
            members.add(new JobMembership.Member("w" + w, node, w % 2, JobMembership.Role.WORKER));
            workers.put("w" + w, steps(BIG_JOB + "/w" + w, at));
        }
        JobMembership membership = new JobMembership(BIG_JOB, start, JobMembership.CommPattern.RING_ALLREDUCE,
                100L << 20, members);
        List<Flow> flows = List.of(new Flow(BIG_JOB, "w1", "w2", 75e6, 0.95 * NETWORK_CAPACITY,
                List.of(nic1Uplink, tor1Spine, tor2Spine, nic2Uplink)));
        return new JobView(BIG_JOB, Optional.of(membership), workers, mean(workers), flows);
    }

    private JobView smallJob(Instant at) {
        Map<String, List<StepPoint>> workers = new LinkedHashMap<>();
        workers.put("w0", steps(SMALL_JOB + "/w0", at));
        workers.put("w1", steps(SMALL_JOB + "/w1", at));
        return new JobView(SMALL_JOB, Optional.empty(), workers, mean(workers), List.of());
    }

    private static double mean(Map<String, List<StepPoint>> workers) {
        return workers.values().stream().flatMap(List::stream).mapToDouble(StepPoint::stepTimeMs).average()
                .orElse(Double.NaN);
    }

    /** Steps of one worker: one per period since the start, the step time wobbling around the period. */
    public List<StepPoint> steps(String worker, Instant at) {
        long period = periodMsByWorker.get(worker);
        long first = Math.max(0, (Duration.between(start, at).minus(STEP_WINDOW).toMillis() + period - 1) / period);
        long last = Duration.between(start, at).toMillis() / period;
        List<StepPoint> out = new ArrayList<>();
        for (long k = first; k <= last; k++) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + worker.hashCode() * 7919L + k);
            double ms = period * (0.92 + 0.16 * r.nextDouble()) + 25 * Math.sin(k / 12.0);
            out.add(new StepPoint(k, start.plusMillis(k * period), ms, ms * 0.7, ms * 0.25, ms * 0.02, 64));
        }
        return out;
    }

    /**
     * The detector's board at {@code at}: resnet-ddp's w3 (on GPU 1 of n2, the throttled one) a straggler since 30 s
     * before, open or ended at {@code at}; bert-ft's w1 a straggler that recovered a minute before.
     */
    public StragglerBoard stragglers(long generation, Instant at, boolean w3Ended) {
        Instant since = at.minusSeconds(30);
        StragglerEpisode w3 = new StragglerEpisode(BIG_JOB, "w3", Optional.of("n2"), 1, "gpu_compute",
                "SW_POWER_CAP; SM clock 1410/1980 MHz, 87 °C", 1.4, 0.9, 1.0, 200, Optional.of(since),
                since.plusMillis(400), 260, at, Optional.empty());
        StragglerEpisode bert = new StragglerEpisode(SMALL_JOB, "w1", Optional.empty(), -1, "network", "", 1.2,
                0.8, 0.9, 10, Optional.empty(), at.minusSeconds(120), 40, at.minusSeconds(60), Optional.empty())
                .ended(new StragglerEpisode.End(41, at.minusSeconds(60), StragglerEpisode.EndReason.RECOVERED));
        return w3Ended
                ? new StragglerBoard(generation, at, "rules", List.of(),
                List.of(w3.ended(new StragglerEpisode.End(261, at, StragglerEpisode.EndReason.RECOVERED)), bert))
                : new StragglerBoard(generation, at, "rules", List.of(w3), List.of(bert));
    }
}
