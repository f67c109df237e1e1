package dev.coxswain.snapshot;

import java.util.Objects;

/**
 * An edge of the cluster graph: a physical link with its capacity per direction. Links are undirected; a flow's
 * load counts against the capacity of every link on its route.
 */
public record Link(Vertex a, Vertex b, LinkType type, double capacityBytesPerSec) {
    public Link {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(type, "type");
        if (!(capacityBytesPerSec > 0) || Double.isInfinite(capacityBytesPerSec)) {
            throw new IllegalArgumentException("capacity of " + a.id() + "-" + b.id() + " must be positive and finite, got "
                    + capacityBytesPerSec);
        }
    }

    public String id() {
        return a.id() + "~" + b.id();
    }

    public enum LinkType {
        /** GPU to GPU over bonded NVLinks. */
        NVLINK,
        /** GPU or NIC to its host's PCIe root complex. */
        PCIE,
        /** NIC to switch. */
        NETWORK,
        /** Switch to spine, with the fabric's oversubscription applied. */
        FABRIC
    }
}
