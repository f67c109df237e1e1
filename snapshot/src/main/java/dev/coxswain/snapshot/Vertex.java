package dev.coxswain.snapshot;

/**
 * A vertex of the cluster graph: small immutable keys, compared by value. What changes about a vertex (its latest
 * samples) lives beside the graph in the snapshot, not in the vertex.
 */
public sealed interface Vertex permits Vertex.Host, Vertex.Gpu, Vertex.Nic, Vertex.Switch {

    /** A stable, human-readable id, unique in the graph: {@code host:n1}, {@code gpu:n1/0}, {@code nic:n1/mlx5_0}. */
    String id();

    /** The host this vertex belongs to, or null for a switch. */
    String nodeId();

    /** A host: its CPUs, memory and PCIe root complex, through which PCIe traffic is routed. */
    record Host(String nodeId) implements Vertex {
        @Override
        public String id() {
            return "host:" + nodeId;
        }
    }

    record Gpu(String nodeId, int index) implements Vertex {
        @Override
        public String id() {
            return "gpu:" + nodeId + "/" + index;
        }
    }

    record Nic(String nodeId, String name) implements Vertex {
        @Override
        public String id() {
            return "nic:" + nodeId + "/" + name;
        }
    }

    /** A network switch: a top-of-rack switch named by the topology, or the spine that joins them. */
    record Switch(String switchId) implements Vertex {
        @Override
        public String id() {
            return "switch:" + switchId;
        }

        @Override
        public String nodeId() {
            return null;
        }
    }
}
