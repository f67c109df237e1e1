package dev.coxswain.whatif.spec;

/**
 * How the GPUs inside one node reach each other and the NICs.
 *
 * @param gpuBytesPerSec  each GPU's link to the fabric, per direction (an NVSwitch port, or its PCIe slot)
 * @param hostBytesPerSec the node's shared host path (PCIe root complex and host memory) that PCIe copies between
 *                        GPUs without peer-to-peer and all NIC traffic cross; infinite when not a constraint
 * @param latencySec      one hop between two GPUs of the node
 */
public record Fabric(Kind kind, double gpuBytesPerSec, double hostBytesPerSec, double latencySec) {

    public enum Kind {
        /** All GPUs on one crossbar: any pair at full port speed (DGX/HGX). */
        NVSWITCH,
        /** Direct NVLink between GPUs, no switch; modelled like a switch at the per-GPU NVLink bandwidth. */
        NVLINK,
        /** PCIe only, no peer-to-peer: GPU-to-GPU copies are staged through host memory. */
        PCIE
    }

    public Fabric {
        if (kind == null) {
            throw new IllegalArgumentException("fabric kind missing");
        }
        if (!(gpuBytesPerSec > 0) || !(hostBytesPerSec > 0) || !(latencySec >= 0)) {
            throw new IllegalArgumentException("fabric bandwidths must be positive and latency non-negative");
        }
    }

    /** Whether GPU-to-GPU traffic inside the node crosses the shared host path. */
    public boolean stagedThroughHost() {
        return kind == Kind.PCIE;
    }
}
