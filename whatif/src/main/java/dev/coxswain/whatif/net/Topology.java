package dev.coxswain.whatif.net;

import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.Fabric;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SwitchTier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The links of a cluster, numbered densely, and the route between any two GPUs. Per node: each GPU's link to the
 * fabric in each direction, the shared host path (PCIe-only nodes), the NICs' transmit and receive sides (NICs of a
 * node are pooled); per switch: an uplink and a downlink to its parent tier; optionally a host-pair link between two
 * nodes when the cluster file gives a pair capacity. Routes go up the switch tree to the lowest common ancestor.
 *
 * <p>Immutable after construction except for host-pair links, which are created on first use; not thread-safe.
 * GPUs are numbered node by node: GPU {@code j} of node {@code n} is {@code firstGpu(n) + j}.
 */
public final class Topology {
    /** What a link is, for reports of the bottleneck. */
    public enum LinkKind {
        GPU_UP, GPU_DOWN, HOST, NIC_TX, NIC_RX, SWITCH_UP, SWITCH_DOWN, HOST_PAIR
    }

    private final ClusterSpec cluster;
    private final int[] firstGpu;
    private final int[] nodeOfGpu;
    private final List<Double> capacity = new ArrayList<>();
    private final List<LinkKind> kinds = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final int[] gpuUp;
    private final int[] gpuDown;
    private final int[] host;
    private final int[] nicTx;
    private final int[] nicRx;
    /** [tier][unit] uplink and downlink ids of switch units; unit u of tier t holds nodes in a contiguous range. */
    private final int[][] switchUp;
    private final int[][] switchDown;
    private final int[] unitSize;
    private final Map<Long, Integer> pairs = new HashMap<>();

    public Topology(ClusterSpec cluster) {
        this.cluster = cluster;
        int nodes = cluster.nodeCount();
        this.firstGpu = new int[nodes + 1];
        for (int n = 0; n < nodes; n++) {
            firstGpu[n + 1] = firstGpu[n] + cluster.groupOf(n).gpusPerNode();
        }
        int gpus = firstGpu[nodes];
        this.nodeOfGpu = new int[gpus];
        this.gpuUp = new int[gpus];
        this.gpuDown = new int[gpus];
        this.host = new int[nodes];
        this.nicTx = new int[nodes];
        this.nicRx = new int[nodes];
        for (int n = 0; n < nodes; n++) {
            NodeGroup g = cluster.groupOf(n);
            String node = cluster.nodeName(n);
            for (int j = 0; j < g.gpusPerNode(); j++) {
                int gpu = firstGpu[n] + j;
                nodeOfGpu[gpu] = n;
                gpuUp[gpu] = add(g.fabric().gpuBytesPerSec(), LinkKind.GPU_UP, node + "/gpu" + j + "-up");
                gpuDown[gpu] = add(g.fabric().gpuBytesPerSec(), LinkKind.GPU_DOWN, node + "/gpu" + j + "-down");
            }
            host[n] = add(g.fabric().hostBytesPerSec(), LinkKind.HOST, node + "/host");
            nicTx[n] = add(g.nics().totalBytesPerSec(), LinkKind.NIC_TX, node + "/nic-tx");
            nicRx[n] = add(g.nics().totalBytesPerSec(), LinkKind.NIC_RX, node + "/nic-rx");
        }
        List<SwitchTier> tiers = cluster.tiers();
        this.switchUp = new int[tiers.size()][];
        this.switchDown = new int[tiers.size()][];
        this.unitSize = new int[tiers.size()];
        double[] childCapacity = new double[nodes];
        for (int n = 0; n < nodes; n++) {
            childCapacity[n] = cluster.groupOf(n).nics().totalBytesPerSec();
        }
        int size = 1;
        for (int t = 0; t < tiers.size(); t++) {
            size *= tiers.get(t).fanout();
            unitSize[t] = size;
            int units = (nodes + size - 1) / size;
            switchUp[t] = new int[units];
            switchDown[t] = new int[units];
            double[] unitCapacity = new double[units];
            int childSize = size / tiers.get(t).fanout();
            for (int c = 0; c < childCapacity.length; c++) {
                unitCapacity[c * childSize / size] += childCapacity[c];
            }
            for (int u = 0; u < units; u++) {
                double cap = unitCapacity[u] / tiers.get(t).oversubscription();
                String name = tiers.get(t).name() + u;
                switchUp[t][u] = add(cap, LinkKind.SWITCH_UP, name + "-up");
                switchDown[t][u] = add(cap, LinkKind.SWITCH_DOWN, name + "-down");
            }
            childCapacity = unitCapacity;
        }
    }

    private int add(double cap, LinkKind kind, String name) {
        capacity.add(cap);
        kinds.add(kind);
        names.add(name);
        return capacity.size() - 1;
    }

    public ClusterSpec cluster() {
        return cluster;
    }

    public int gpuCount() {
        return nodeOfGpu.length;
    }

    public int nodeOfGpu(int gpu) {
        return nodeOfGpu[gpu];
    }

    public int firstGpu(int node) {
        return firstGpu[node];
    }

    public int linkCount() {
        return capacity.size();
    }

    public double capacity(int link) {
        return capacity.get(link);
    }

    public LinkKind kind(int link) {
        return kinds.get(link);
    }

    public String linkName(int link) {
        return names.get(link);
    }

    public int nicTx(int node) {
        return nicTx[node];
    }

    public int nicRx(int node) {
        return nicRx[node];
    }

    /** Capacities of all links, for {@link dev.coxswain.core.net.MaxMinFairShare}. */
    public double[] capacities() {
        double[] c = new double[capacity.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = capacity.get(i);
        }
        return c;
    }

    /** Scales one link's capacity (a degraded link in a what-if). */
    public void scaleCapacity(int link, double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("capacity factor must be positive, not " + factor);
        }
        capacity.set(link, capacity.get(link) * factor);
    }

    /** The route from GPU {@code a} to GPU {@code b}. */
    public Path path(int a, int b) {
        return route(a, nodeOfGpu[a], b, nodeOfGpu[b]);
    }

    /** The route from GPU {@code gpu} to a CPU process (a parameter server) on {@code node}. */
    public Path pathToHost(int gpu, int node) {
        return route(gpu, nodeOfGpu[gpu], -1, node);
    }

    /** The route from a CPU process on {@code node} to GPU {@code gpu}. */
    public Path pathFromHost(int node, int gpu) {
        return route(-1, node, gpu, nodeOfGpu[gpu]);
    }

    /** A GPU of -1 is a process on the node's CPU: it skips the GPU's own link. */
    private Path route(int a, int na, int b, int nb) {
        Fabric fa = cluster.groupOf(na).fabric();
        Fabric fb = cluster.groupOf(nb).fabric();
        List<Integer> links = new ArrayList<>();
        if (na == nb) {
            if (a == b) {
                return new Path(new int[0], 0, Double.POSITIVE_INFINITY);
            }
            if (a >= 0) {
                links.add(gpuUp[a]);
            }
            if (fa.stagedThroughHost() || a < 0 || b < 0) {
                links.add(host[na]);
            }
            if (b >= 0) {
                links.add(gpuDown[b]);
            }
            return new Path(toArray(links), fa.latencySec(), Double.POSITIVE_INFINITY);
        }
        if (a >= 0 && fa.stagedThroughHost()) {
            links.add(gpuUp[a]);
        }
        if (a < 0 || fa.stagedThroughHost()) {
            links.add(host[na]);
        }
        links.add(nicTx[na]);
        double latency = Math.max(cluster.groupOf(na).nics().latencySec(), cluster.groupOf(nb).nics().latencySec());
        latency += switchHops(na, nb, links);
        links.add(nicRx[nb]);
        if (b < 0 || fb.stagedThroughHost()) {
            links.add(host[nb]);
        }
        if (b >= 0 && fb.stagedThroughHost()) {
            links.add(gpuDown[b]);
        }
        double pairCap = Math.min(cluster.groupOf(na).nics().pairBytesPerSec(),
                cluster.groupOf(nb).nics().pairBytesPerSec());
        if (pairCap < Double.POSITIVE_INFINITY) {
            long key = (long) Math.min(na, nb) * 1_000_003L + Math.max(na, nb);
            links.add(pairs.computeIfAbsent(key, k -> add(pairCap, LinkKind.HOST_PAIR,
                    "pair-" + Math.min(na, nb) + "-" + Math.max(na, nb))));
        }
        double cap = Math.min(cluster.groupOf(na).nics().perFlowBytesPerSec(),
                cluster.groupOf(nb).nics().perFlowBytesPerSec());
        return new Path(toArray(links), latency, cap);
    }

    /** Adds the switch links between two nodes' leaves to {@code links}; returns the switches' latency. */
    private double switchHops(int na, int nb, List<Integer> links) {
        double latency = 0;
        List<Integer> down = new ArrayList<>();
        for (int t = 0; t < unitSize.length; t++) {
            int ua = na / unitSize[t];
            int ub = nb / unitSize[t];
            latency += cluster.tiers().get(t).latencySec();
            if (ua == ub) {
                break;
            }
            if (t + 1 < unitSize.length) {
                links.add(switchUp[t][ua]);
                down.add(0, switchDown[t][ub]);
                latency += cluster.tiers().get(t).latencySec();
            }
        }
        links.addAll(down);
        return latency;
    }

    private static int[] toArray(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
