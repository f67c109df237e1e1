package dev.coxswain.whatif.spec;

/** {@code count} identical nodes. Nodes are numbered in the order of the groups in the cluster file. */
public record NodeGroup(String name, int count, GpuType gpu, int gpusPerNode, Fabric fabric, Nics nics) {
    public NodeGroup {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("node group needs a name");
        }
        if (count < 1 || gpusPerNode < 1 || gpusPerNode > 64) {
            throw new IllegalArgumentException("node group " + name + ": count >= 1 and 1 <= gpusPerNode <= 64");
        }
        if (gpu == null || fabric == null || nics == null) {
            throw new IllegalArgumentException("node group " + name + ": gpu, fabric and nics are required");
        }
    }
}
