package dev.coxswain.whatif.spec;

import java.util.List;

/**
 * A cluster: groups of identical nodes and a tree of switches over them. Immutable. Nodes are numbered from 0 in
 * group order and named {@code <group>-<index within group>}.
 */
public record ClusterSpec(String name, List<NodeGroup> groups, List<SwitchTier> tiers) {
    public ClusterSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cluster needs a name");
        }
        groups = List.copyOf(groups);
        tiers = List.copyOf(tiers);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("cluster " + name + " has no nodes");
        }
    }

    public int nodeCount() {
        int n = 0;
        for (NodeGroup g : groups) {
            n += g.count();
        }
        return n;
    }

    public int gpuCount() {
        int n = 0;
        for (NodeGroup g : groups) {
            n += g.count() * g.gpusPerNode();
        }
        return n;
    }

    /** The group that node {@code node} belongs to. */
    public NodeGroup groupOf(int node) {
        int start = 0;
        for (NodeGroup g : groups) {
            if (node < start + g.count()) {
                return g;
            }
            start += g.count();
        }
        throw new IndexOutOfBoundsException("node " + node + " of a cluster of " + nodeCount());
    }

    public String nodeName(int node) {
        int start = 0;
        for (NodeGroup g : groups) {
            if (node < start + g.count()) {
                return g.name() + "-" + (node - start);
            }
            start += g.count();
        }
        throw new IndexOutOfBoundsException("node " + node + " of a cluster of " + nodeCount());
    }
}
