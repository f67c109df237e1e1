package dev.coxswain.dashboards;

import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.testkit.SnapshotBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A bigger made-up cluster for looking at the page's layout by hand: {@code hosts} nodes of {@code gpus} GPUs with
 * NVLink between neighbours, two NICs each, a leaf switch per four hosts and a spine; random loads and one job per
 * four hosts. Not used by the automated tests.
 */
final class LargeCluster {
    private final int hosts;
    private final int gpus;
    private final Instant start;

    LargeCluster(int hosts, int gpus, Instant start) {
        this.hosts = hosts;
        this.gpus = gpus;
        this.start = start;
    }

    ClusterSnapshot snapshot(long generation, Instant at) {
        SplittableRandom random = new SplittableRandom(generation / 4);
        SnapshotBuilder b = new SnapshotBuilder().vertex(new Vertex.Switch("spine-0"));
        for (int h = 0; h < hosts; h++) {
            String node = "node-" + h;
            String leaf = "leaf-" + h / 4;
            if (h % 4 == 0) {
                b.fabric(leaf, "spine-0", 100e9, random.nextDouble() * 100e9);
            }
            for (int n = 0; n < 2; n++) {
                b.nic(node, "mlx5_" + n, 32e9, random.nextDouble() * 20e9);
                b.uplink(node, "mlx5_" + n, leaf, 25e9, random.nextDouble() * 25e9);
            }
            for (int g = 0; g < gpus; g++) {
                b.gpu(node, g, 32e9, random.nextDouble() * 10e9);
                if (g > 0) {
                    b.nvlink(node, g - 1, g, 300e9, random.nextDouble() * 300e9);
                }
                b.sample(SnapshotBuilder.gpuSample(node, g, at, "NVIDIA A100-SXM4-80GB", random.nextDouble() * 100,
                        40L << 30, 1410, 1410, 300, 60 + random.nextDouble() * 25, 0));
            }
            b.sample(new HostSample(node, at, random.nextDouble() * 100, 0, 1L << 40, 1L << 39, List.of(), List.of()));
        }
        for (int j = 0; j < Math.max(1, hosts / 4); j++) {
            Map<String, List<StepPoint>> workers = new HashMap<>();
            for (int w = 0; w < 8; w++) {
                workers.put("worker-" + w, steps(j * 100 + w, 200 + 100 * j, at));
            }
            b.job(new JobView("job-" + j, Optional.empty(), workers, 200 + 100 * j, List.of()));
        }
        return b.build(generation, at);
    }

    private List<StepPoint> steps(int seed, long periodMs, Instant at) {
        List<StepPoint> out = new ArrayList<>();
        long last = (at.toEpochMilli() - start.toEpochMilli()) / periodMs;
        for (long k = Math.max(0, last - 120_000 / periodMs); k <= last; k++) {
            double ms = periodMs * (0.9 + 0.2 * new SplittableRandom(seed * 1_000_003L + k).nextDouble());
            out.add(new StepPoint(k, start.plusMillis(k * periodMs), ms, ms * 0.7, ms * 0.2, 0, 32));
        }
        return out;
    }
}
