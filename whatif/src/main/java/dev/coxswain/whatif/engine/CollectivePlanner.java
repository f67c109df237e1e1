package dev.coxswain.whatif.engine;

import dev.coxswain.whatif.net.Path;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a collective out on the topology as a sequence of {@link Phase}s. Data volumes are the standard ones:
 * ring all-reduce moves {@code 2(n-1)/n G} over every hop in {@code 2(n-1)} steps; the hierarchical algorithm
 * reduce-scatters inside each node ({@code (g-1)/g G}), runs one ring per local rank across nodes on
 * {@code G/g} ({@code 2(k-1)/k G/g} per hop) and all-gathers inside nodes; the tree algorithm sends {@code G} over each
 * edge of a binary tree over nodes and of a chain inside each node, up and down, in {@code 2 (log2 k + g - 1)} steps.
 * Latency is paid once per step and gradient bucket. Stateless.
 */
final class CollectivePlanner {
    private final Topology topology;

    CollectivePlanner(Topology topology) {
        this.topology = topology;
    }

    List<Phase> allReduce(SyncSpec.Algorithm algorithm, List<Integer> gpus, double bytes, int buckets) {
        if (gpus.size() < 2) {
            return List.of();
        }
        List<List<Integer>> byNode = byNode(gpus);
        boolean uniform = byNode.stream().allMatch(l -> l.size() == byNode.get(0).size());
        return switch (algorithm) {
            case RING -> List.of(ring("ring", gpus, 2.0 * (gpus.size() - 1) / gpus.size() * bytes, buckets));
            case TREE -> List.of(tree(byNode, bytes, buckets));
            case HIERARCHICAL -> uniform && byNode.size() > 1 && byNode.get(0).size() > 1
                    ? hierarchical(byNode, bytes, buckets)
                    : List.of(ring("ring", gpus, 2.0 * (gpus.size() - 1) / gpus.size() * bytes, buckets));
        };
    }

    /** A ring over {@code gpus} in order, every hop moving {@code bytesPerHop}, {@code 2(n-1)} steps per bucket. */
    Phase ring(String name, List<Integer> gpus, double bytesPerHop, int buckets) {
        List<Path> hops = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            hops.add(topology.path(gpus.get(i), gpus.get((i + 1) % gpus.size())));
        }
        return phase(name, hops, bytesPerHop, 2.0 * (gpus.size() - 1) * buckets);
    }

    private List<Phase> hierarchical(List<List<Integer>> byNode, double bytes, int buckets) {
        int g = byNode.get(0).size();
        int k = byNode.size();
        List<Path> intra = new ArrayList<>();
        for (List<Integer> node : byNode) {
            for (int i = 0; i < g; i++) {
                intra.add(topology.path(node.get(i), node.get((i + 1) % g)));
            }
        }
        List<Path> inter = new ArrayList<>();
        for (int r = 0; r < g; r++) {
            for (int n = 0; n < k; n++) {
                inter.add(topology.path(byNode.get(n).get(r), byNode.get((n + 1) % k).get(r)));
            }
        }
        double intraBytes = (g - 1.0) / g * bytes;
        Phase rs = phase("reduce-scatter", intra, intraBytes, (g - 1.0) * buckets);
        Phase ar = phase("inter-node ring", inter, 2.0 * (k - 1) / k * bytes / g, 2.0 * (k - 1) * buckets);
        Phase ag = phase("all-gather", intra, intraBytes, (g - 1.0) * buckets);
        return List.of(rs, ar, ag);
    }

    private Phase tree(List<List<Integer>> byNode, double bytes, int buckets) {
        List<Path> hops = new ArrayList<>();
        int maxChain = 0;
        for (List<Integer> node : byNode) {
            for (int i = 0; i + 1 < node.size(); i++) {
                hops.add(topology.path(node.get(i), node.get(i + 1)));
                hops.add(topology.path(node.get(i + 1), node.get(i)));
            }
            maxChain = Math.max(maxChain, node.size() - 1);
        }
        int k = byNode.size();
        for (int child = 1; child < k; child++) {
            int parent = (child - 1) / 2;
            int a = byNode.get(child).get(0);
            int b = byNode.get(parent).get(0);
            hops.add(topology.path(a, b));
            hops.add(topology.path(b, a));
        }
        double depth = k > 1 ? Math.ceil(Math.log(k) / Math.log(2)) : 0;
        return phase("tree", hops, bytes, 2.0 * (depth + maxChain) * buckets);
    }

    private Phase phase(String name, List<Path> hops, double bytesPerHop, double steps) {
        int total = 0;
        double cap = Double.POSITIVE_INFINITY;
        double latency = 0;
        for (Path p : hops) {
            total += p.length();
            cap = Math.min(cap, p.flowCapBytesPerSec());
            latency = Math.max(latency, p.latencySec());
        }
        int[] route = new int[total];
        int at = 0;
        for (Path p : hops) {
            int[] l = p.links();
            System.arraycopy(l, 0, route, at, l.length);
            at += l.length;
        }
        if (cap == Double.POSITIVE_INFINITY && total == 0) {
            cap = 1e18;
        }
        return new Phase(name, route, cap, bytesPerHop, steps * latency);
    }

    /** Parameter-server push from one worker to every server (each gets {@code bytes / servers}). */
    Phase push(int gpu, List<Integer> serverNodes, double bytes) {
        List<Path> hops = new ArrayList<>();
        for (int s : serverNodes) {
            hops.add(topology.pathToHost(gpu, s));
        }
        return phase("push", hops, bytes / serverNodes.size(), 1);
    }

    Phase pull(int gpu, List<Integer> serverNodes, double bytes) {
        List<Path> hops = new ArrayList<>();
        for (int s : serverNodes) {
            hops.add(topology.pathFromHost(s, gpu));
        }
        return phase("pull", hops, bytes / serverNodes.size(), 1);
    }

    private List<List<Integer>> byNode(List<Integer> gpus) {
        List<List<Integer>> out = new ArrayList<>();
        int last = -1;
        for (int g : gpus) {
            int n = topology.nodeOfGpu(g);
            if (n != last || out.isEmpty()) {
                out.add(new ArrayList<>());
                last = n;
            }
            out.get(out.size() - 1).add(g);
        }
        return out;
    }
}
