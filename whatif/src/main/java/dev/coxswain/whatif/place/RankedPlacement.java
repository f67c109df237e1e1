package dev.coxswain.whatif.place;

import dev.coxswain.whatif.spec.ClusterSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * One placement of a new job on a busy cluster, scored.
 *
 * @param how        how it was found: a heuristic's name, {@code search}, or {@code as given}
 * @param gpus       the cluster's GPUs it takes, in order
 * @param stepSec    the new job's predicted step time there
 * @param cost       the cluster's cost with the job there, the sum over jobs of step time over compute time: lower
 *                   is better (a place fast for the new job that slows its neighbours is not the cheapest)
 * @param bottleneck the link bounding the new job, when a link does
 * @param bottleneckUtilization that link's predicted utilisation, 0 without one
 */
public record RankedPlacement(String how, List<Integer> gpus, double stepSec, double cost, Optional<String> bottleneck,
                              double bottleneckUtilization) {
    public RankedPlacement {
        gpus = List.copyOf(gpus);
    }

    /** Its GPUs by node, as {@code node:gpu,gpu node:gpu}, each node named by {@code nodeName}. */
    public String gpusByNode(ClusterSpec cluster, IntFunction<String> nodeName) {
        int[] first = new int[cluster.nodeCount() + 1];
        for (int n = 0; n < cluster.nodeCount(); n++) {
            first[n + 1] = first[n] + cluster.groupOf(n).gpusPerNode();
        }
        Map<Integer, List<String>> byNode = new TreeMap<>();
        for (int g : gpus) {
            int node = 0;
            while (node + 1 < cluster.nodeCount() && g >= first[node + 1]) {
                node++;
            }
            byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(String.valueOf(g - first[node]));
        }
        List<String> parts = new ArrayList<>();
        byNode.forEach((n, local) -> parts.add(nodeName.apply(n) + ":" + String.join(",", local)));
        return String.join(" ", parts);
    }
}
