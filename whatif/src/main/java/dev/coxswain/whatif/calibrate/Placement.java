package dev.coxswain.whatif.calibrate;

import java.util.Arrays;

/**
 * Where a data-parallel job's replicas run: GPUs used on each node, in node order. Written as a digit string, one
 * digit per node (1-9 GPUs): {@code 22} is two nodes with two GPUs each, as in the Pollux artifact's traces.
 */
public record Placement(int[] gpusPerNode) {

    public Placement {
        if (gpusPerNode == null || gpusPerNode.length == 0) {
            throw new IllegalArgumentException("a placement needs at least one node");
        }
        gpusPerNode = gpusPerNode.clone();
        for (int g : gpusPerNode) {
            if (g < 1) {
                throw new IllegalArgumentException("a node in a placement must hold at least one GPU, not " + g);
            }
        }
    }

    /**
     * Parses a digit string such as {@code 1344}.
     *
     * @throws IllegalArgumentException naming the offending character
     */
    public static Placement parse(String digits) {
        if (digits == null || digits.isEmpty()) {
            throw new IllegalArgumentException("empty placement");
        }
        int[] g = new int[digits.length()];
        for (int i = 0; i < g.length; i++) {
            char c = digits.charAt(i);
            if (c < '1' || c > '9') {
                throw new IllegalArgumentException("'" + digits + "' is not a placement: character " + (i + 1)
                        + " is '" + c + "', expected a digit 1-9 (GPUs on that node)");
            }
            g[i] = c - '0';
        }
        return new Placement(g);
    }

    @Override
    public int[] gpusPerNode() {
        return gpusPerNode.clone();
    }

    public int gpusOn(int node) {
        return gpusPerNode[node];
    }

    public int nodes() {
        return gpusPerNode.length;
    }

    public int replicas() {
        int n = 0;
        for (int g : gpusPerNode) {
            n += g;
        }
        return n;
    }

    public int maxPerNode() {
        int m = 0;
        for (int g : gpusPerNode) {
            m = Math.max(m, g);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placement p && Arrays.equals(gpusPerNode, p.gpusPerNode);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gpusPerNode);
    }

    /** The digit string, e.g. {@code 22}; digits above 9 are written in brackets. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int g : gpusPerNode) {
            sb.append(g <= 9 ? Integer.toString(g) : "[" + g + "]");
        }
        return sb.toString();
    }
}
