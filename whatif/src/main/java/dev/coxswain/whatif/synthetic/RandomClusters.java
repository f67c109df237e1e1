package dev.coxswain.whatif.synthetic;

import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.Fabric;
import dev.coxswain.whatif.spec.GpuType;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.Nics;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SwitchTier;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Random clusters with random job mixes, seeded: the cases a graph model of the network is trained and evaluated on
 * (issue 13), each simulated for its ground truth. A case is a fat tree of 1 to {@code maxNodes} nodes of one GPU
 * type from the presets, 1-8 GPUs a node joined by NVSwitch, NVLink or PCIe, 1-8 NICs of 25-400 Gbit/s, leaf switches
 * oversubscribed 1:1 to 4:1 under a spine when there is more than one; and data-parallel all-reduce jobs (ring, tree
 * or hierarchical) of 2-64 workers on GPUs drawn at random from the free ones, so placements are fragmented. The same
 * seed gives the same case.
 */
public final class RandomClusters {
    private static final double GBIT = 1e9 / 8;
    private static final double US = 1e-6;
    private static final double[] NIC_GBIT = {25, 50, 100, 200, 400};
    private static final SyncSpec.Algorithm[] ALGORITHMS = SyncSpec.Algorithm.values();

    /** A cluster and the jobs on it. */
    public record Case(ClusterSpec cluster, List<JobSpec> jobs) {
        public Case {
            jobs = List.copyOf(jobs);
        }
    }

    private RandomClusters() {
    }

    /** One case of 1 to {@code maxNodes} nodes. */
    public static Case draw(long seed, int maxNodes, long steps) {
        return draw(seed, 1, maxNodes, steps);
    }

    /**
     * One case.
     *
     * @param minNodes the fewest nodes, at least 1
     * @param maxNodes the most nodes, {@code minNodes} to 4,096
     * @param steps    how many steps each job runs
     */
    public static Case draw(long seed, int minNodes, int maxNodes, long steps) {
        if (minNodes < 1 || maxNodes < minNodes || maxNodes > 4_096 || steps < 1) {
            throw new IllegalArgumentException("need 1 <= minNodes <= maxNodes <= 4096 and steps >= 1, got "
                    + minNodes + ", " + maxNodes + " and " + steps);
        }
        SplittableRandom r = new SplittableRandom(seed);
        ClusterSpec cluster = cluster(r, minNodes + r.nextInt(maxNodes - minNodes + 1), "random-" + seed);
        return new Case(cluster, jobs(r, cluster, steps));
    }

    private static ClusterSpec cluster(SplittableRandom r, int nodes, String name) {
        List<String> presets = ClusterPresets.names();
        GpuType gpu = ClusterPresets.get(presets.get(r.nextInt(presets.size()))).groups().getFirst().gpu();
        int gpusPerNode = 1 + r.nextInt(8);
        Fabric fabric = switch (r.nextInt(3)) {
            case 0 -> new Fabric(Fabric.Kind.NVSWITCH, (150 + r.nextInt(300)) * 1e9, 32e9, 3 * US);
            case 1 -> new Fabric(Fabric.Kind.NVLINK, (25 + r.nextInt(150)) * 1e9, 32e9, 3 * US);
            default -> new Fabric(Fabric.Kind.PCIE, (8 + r.nextInt(24)) * 1e9, 16e9 + r.nextInt(16) * 1e9, 10 * US);
        };
        Nics nics = new Nics(1 + r.nextInt(8), NIC_GBIT[r.nextInt(NIC_GBIT.length)] * GBIT, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY, 5 * US);
        List<SwitchTier> tiers = new ArrayList<>();
        int leafFanout = 2 + r.nextInt(31);
        tiers.add(new SwitchTier("leaf", leafFanout, 1 + r.nextInt(4), 1 * US));
        if (nodes > leafFanout) {
            tiers.add(new SwitchTier("spine", Math.max(2, (nodes + leafFanout - 1) / leafFanout), 1, 1 * US));
        }
        return new ClusterSpec(name, List.of(new NodeGroup("n", nodes, gpu, gpusPerNode, fabric, nics)), tiers);
    }

    /**
     * {@code cluster} with {@code count} random jobs of 2 to {@code maxWorkers} workers on GPUs drawn at random
     * (fewer jobs when the GPUs run out): a busy, fragmented cluster to place a new job on.
     */
    public static Case fill(ClusterSpec cluster, int count, int maxWorkers, long seed, long steps) {
        if (count < 1 || maxWorkers < 2 || steps < 1) {
            throw new IllegalArgumentException("need count >= 1, maxWorkers >= 2 and steps >= 1, got " + count + ", "
                    + maxWorkers + " and " + steps);
        }
        SplittableRandom r = new SplittableRandom(seed);
        return new Case(cluster, jobs(r, cluster, steps, count, maxWorkers));
    }

    private static List<JobSpec> jobs(SplittableRandom r, ClusterSpec cluster, long steps) {
        return jobs(r, cluster, steps, Integer.MAX_VALUE, 64);
    }

    /** Jobs until {@code count}, or until fewer than two GPUs are free, or (a one in four chance a job) at random. */
    private static List<JobSpec> jobs(SplittableRandom r, ClusterSpec cluster, long steps, int count,
                                      int maxWorkers) {
        boolean fixed = count < Integer.MAX_VALUE;
        List<Integer> free = new ArrayList<>();
        for (int g = 0; g < cluster.gpuCount(); g++) {
            free.add(g);
        }
        Collections.shuffle(free, new Random(r.nextLong()));
        GpuType gpu = cluster.groups().getFirst().gpu();
        List<JobSpec> jobs = new ArrayList<>();
        while (free.size() >= 2 && jobs.size() < count && (fixed || jobs.isEmpty() || r.nextInt(4) > 0)) {
            int workers = 2 + r.nextInt(Math.min(maxWorkers - 1, free.size() - 1));
            List<Integer> gpus = new ArrayList<>(free.subList(0, workers));
            free.subList(0, workers).clear();
            Collections.sort(gpus);
            ModelProfile model = new ModelProfile("model-" + jobs.size(), List.of(new ModelProfile.ComputeCost(
                    gpu.name(), 0.005 + r.nextDouble() * 0.1, r.nextDouble() * 0.002, gpu.tflops())),
                    10_000_000L + r.nextLong(2_000_000_000L), 25L << 20, 0.33, 0.02);
            int batch = 8 << r.nextInt(6);
            jobs.add(new JobSpec("job-" + jobs.size(), model,
                    new SyncSpec.AllReduce(ALGORITHMS[r.nextInt(ALGORITHMS.length)]), gpus,
                    Collections.nCopies(workers, batch), 1, steps, List.of(), 0));
        }
        return jobs;
    }
}
