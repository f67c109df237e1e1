package dev.coxswain.graphmodels.live;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
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
import java.util.function.IntPredicate;

/**
 * A small cluster for the live detector's tests, deterministic: nodes a and b, four GPUs each, one NIC each
 * ({@code mlx5_0}) on switches tor-a and tor-b; job {@code job-1} with workers w0..w7 (w{4n+g} on GPU g of node
 * n), a step every 100 ms from {@link #START}, compute 60 ms, communication 25 ms, 2 ms of input wait, and the
 * barrier wait that the slowest worker imposes on the others. From {@code slowFromStep}, the workers that
 * {@code slow} selects compute 1.8 times longer and their GPUs report a thermal throttle.
 */
final class LiveCluster {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final String JOB = "job-1";
    static final List<String> NODES = List.of("a", "b");

    final Link uplinkA = new Link(new Vertex.Nic("a", "mlx5_0"), new Vertex.Switch("tor-a"), Link.LinkType.NETWORK,
            12.5e9);
    final Link uplinkB = new Link(new Vertex.Nic("b", "mlx5_0"), new Vertex.Switch("tor-b"), Link.LinkType.NETWORK,
            12.5e9);
    private final long slowFromStep;
    private final IntPredicate slow;

    LiveCluster(long slowFromStep, IntPredicate slow) {
        this.slowFromStep = slowFromStep;
        this.slow = slow;
    }

    static Instant stepTime(long step) {
        return START.plus(Duration.ofMillis(100 * (step + 1)));
    }

    boolean slowAt(int worker, long step) {
        return step >= slowFromStep && slow.test(worker);
    }

    /** The snapshot after {@code lastStep}: steps {@code max(0, lastStep - window + 1)..lastStep}, GPU samples of 1 Hz. */
    ClusterSnapshot snapshot(long generation, long lastStep, int window) {
        SnapshotBuilder b = new SnapshotBuilder();
        Instant at = stepTime(lastStep).plusMillis(20);
        Instant gpuAt = START.plusSeconds(at.getEpochSecond() - START.getEpochSecond());
        long gpuStep = Duration.between(START, gpuAt).toMillis() / 100;
        for (String node : NODES) {
            b.vertex(new Vertex.Host(node));
            b.link(node.equals("a") ? uplinkA : uplinkB, 0.4 * 12.5e9);
            b.nic(node, "mlx5_0", 32e9, 0);
            for (int g = 0; g < 4; g++) {
                b.gpu(node, g, 32e9, 0);
                b.sample(gpuSample(node, g, gpuAt, slowAt(worker(node, g), gpuStep)));
            }
            b.sample(new HostSample(node, gpuAt, 30, 1, 512L << 30, 300L << 30, List.of(), List.of()));
        }
        return b.job(job(lastStep, window)).build(generation, at);
    }

    static int worker(String node, int gpu) {
        return NODES.indexOf(node) * 4 + gpu;
    }

    private static GpuSample gpuSample(String node, int gpu, Instant at, boolean hot) {
        return SnapshotBuilder.gpuSample(node, gpu, at, "H100", hot ? 99 : 85, 1L << 30, hot ? 1095 : 1980, 1980, 600,
                hot ? 89 : 62, hot ? GpuSample.ThrottleReason.HW_THERMAL_SLOWDOWN.mask() : 0);
    }

    JobView job(long lastStep, int window) {
        List<JobMembership.Member> members = new ArrayList<>();
        Map<String, List<StepPoint>> workers = new LinkedHashMap<>();
        for (int w = 0; w < 8; w++) {
            members.add(new JobMembership.Member("w" + w, NODES.get(w / 4), w % 4, JobMembership.Role.WORKER));
            List<StepPoint> points = new ArrayList<>();
            for (long s = Math.max(0, lastStep - window + 1); s <= lastStep; s++) {
                points.add(point(w, s));
            }
            workers.put("w" + w, points);
        }
        JobMembership m = new JobMembership(JOB, START, JobMembership.CommPattern.RING_ALLREDUCE, 100_000_000,
                members);
        List<Flow> flows = List.of(new Flow(JOB, "w3", "w4", 1e8, 1e9, List.of(uplinkA, uplinkB)));
        return new JobView(JOB, Optional.of(m), workers, 90, flows);
    }

    StepPoint point(int w, long step) {
        double slowest = 0;
        for (int x = 0; x < 8; x++) {
            slowest = Math.max(slowest, compute(x, step));
        }
        double compute = compute(w, step);
        double barrier = slowest - compute;
        return new StepPoint(step, stepTime(step), compute + 25 + 2 + barrier, compute, 25, barrier, 64);
    }

    private double compute(int w, long step) {
        double jitter = 1 + 0.01 * (((w * 31 + step * 17) % 7) - 3) / 3.0;
        return 60 * jitter * (slowAt(w, step) ? 1.8 : 1);
    }
}
