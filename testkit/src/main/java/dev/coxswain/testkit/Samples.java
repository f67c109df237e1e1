package dev.coxswain.testkit;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.TopologyReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;

/** Deterministic, valid telemetry records and small cluster topologies for tests, from a seeded generator. */
public final class Samples {
    public static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private final Random random;

    public Samples(long seed) {
        this.random = new Random(seed);
    }

    public StepReport step(String job, String worker, long step) {
        double stepMs = 50 + random.nextDouble() * 50;
        double compute = stepMs * 0.6;
        double comm = stepMs * 0.3;
        return new StepReport(job, worker, step, T0.plusMillis(step * 100), stepMs, compute, comm, stepMs * 0.05,
                64, 64, OptionalDouble.of(2.3 - step * 1e-4),
                Optional.of(new StepReport.GradientStats(random.nextDouble() * 10, random.nextDouble() * 100)));
    }

    public GpuSample gpu(String node, int index) {
        return new GpuSample(node, T0, index, "GPU-" + node + "-" + index, "NVIDIA H100 80GB HBM3",
                OptionalDouble.of(random.nextDouble() * 100), 20L << 30, 80L << 30, OptionalDouble.of(1980),
                OptionalDouble.of(1980), OptionalDouble.of(600), OptionalDouble.of(700), OptionalDouble.of(55), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(1e9), OptionalDouble.of(1e9));
    }

    public HostSample host(String node) {
        return new HostSample(node, T0, random.nextDouble() * 100, 1.5, 512L << 30, 300L << 30,
                List.of(new HostSample.NicSample("eth0", 1e6, 2e6, 0, 0, 0, 0)),
                List.of(new HostSample.IbPortSample("mlx5_0", 1, 5e9, 5e9, 0, 0, 0, 0)));
    }

    public static JobEvent event(String job, String worker, String kind) {
        return new JobEvent(job, Optional.of(worker), T0, kind, Map.of("factor", "2.0"));
    }

    /**
     * A node with {@code gpus} GPUs fully connected by NV{@code nvlinks} links (0 for PCIe only) and one NIC per
     * two GPUs on the given switch.
     */
    public static TopologyReport node(String node, int gpus, int nvlinks, String switchId, double nicBits) {
        List<TopologyReport.GpuInfo> infos = new ArrayList<>();
        List<TopologyReport.GpuLink> links = new ArrayList<>();
        List<TopologyReport.NicInfo> nics = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            infos.add(new TopologyReport.GpuInfo(i, "GPU-" + node + "-" + i, "NVIDIA H100 80GB HBM3"));
            for (int j = i + 1; j < gpus; j++) {
                links.add(nvlinks > 0
                        ? new TopologyReport.GpuLink(i, j, TopologyReport.LinkKind.NVLINK, nvlinks)
                        : new TopologyReport.GpuLink(i, j, TopologyReport.LinkKind.PCIE_HOST_BRIDGE, 1));
            }
        }
        for (int n = 0; n < Math.max(1, gpus / 2); n++) {
            List<Integer> closest = gpus == 0 ? List.of() : List.of(2 * n, Math.min(2 * n + 1, gpus - 1)).stream()
                    .distinct().toList();
            nics.add(new TopologyReport.NicInfo("mlx5_" + n, TopologyReport.NicKind.INFINIBAND, nicBits, closest,
                    Optional.ofNullable(switchId)));
        }
        return new TopologyReport(node, T0, infos, links, nics);
    }

    /** A ring all-reduce job with one worker per GPU on the given nodes. */
    public static JobMembership ringJob(String job, long gradientBytes, List<String> nodes, int gpusPerNode) {
        List<JobMembership.Member> members = new ArrayList<>();
        for (String node : nodes) {
            for (int g = 0; g < gpusPerNode; g++) {
                members.add(new JobMembership.Member("w" + members.size(), node, g, JobMembership.Role.WORKER));
            }
        }
        return new JobMembership(job, T0, JobMembership.CommPattern.RING_ALLREDUCE, gradientBytes, members);
    }
}
