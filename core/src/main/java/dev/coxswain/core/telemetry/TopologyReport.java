package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hardware of one node as its agent discovered it (nvidia-smi topo -m, /sys/class/net, /sys/class/infiniband).
 * Sent at start and whenever it changes; the topology topic is compacted on the node id, so the latest report of
 * every node is always there for a collector that starts late.
 */
public record TopologyReport(
        String nodeId,
        Instant timestamp,
        List<GpuInfo> gpus,
        List<GpuLink> gpuLinks,
        List<NicInfo> nics) implements Telemetry {

    public TopologyReport {
        Check.id("TopologyReport.nodeId", nodeId);
        timestamp = Check.time("TopologyReport.timestamp", timestamp);
        gpus = Check.list("TopologyReport.gpus", gpus, 1024);
        gpuLinks = Check.list("TopologyReport.gpuLinks", gpuLinks, 65_535);
        nics = Check.list("TopologyReport.nics", nics, 256);
        for (GpuLink link : gpuLinks) {
            if (!hasGpu(gpus, link.gpuA()) || !hasGpu(gpus, link.gpuB())) {
                throw new InvalidTelemetryException("TopologyReport.gpuLinks",
                        "link " + link.gpuA() + "-" + link.gpuB() + " names a GPU that is not in gpus");
            }
        }
        for (NicInfo nic : nics) {
            for (int gpu : nic.closestGpus()) {
                if (!hasGpu(gpus, gpu)) {
                    throw new InvalidTelemetryException("TopologyReport.nics.closestGpus",
                            "NIC " + nic.name() + " names GPU " + gpu + " that is not in gpus");
                }
            }
        }
    }

    private static boolean hasGpu(List<GpuInfo> gpus, int index) {
        for (GpuInfo gpu : gpus) {
            if (gpu.index() == index) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Scope scope() {
        return Scope.NODE;
    }

    @Override
    public String key() {
        return nodeId;
    }

    public record GpuInfo(int index, String uuid, String name) {
        public GpuInfo {
            Check.range("TopologyReport.gpus.index", index, 0, 1023);
            Check.text("TopologyReport.gpus.uuid", uuid, 128);
            Check.text("TopologyReport.gpus.name", name, 128);
        }
    }

    /**
     * The path between two GPUs of the node, as nvidia-smi topo -m names it.
     *
     * @param width the number of bonded NVLinks for {@link LinkKind#NVLINK}, 1 otherwise
     */
    public record GpuLink(int gpuA, int gpuB, LinkKind kind, int width) {
        public GpuLink {
            Check.range("TopologyReport.gpuLinks.gpuA", gpuA, 0, 1023);
            Check.range("TopologyReport.gpuLinks.gpuB", gpuB, 0, 1023);
            if (gpuA == gpuB) {
                throw new InvalidTelemetryException("TopologyReport.gpuLinks", "a GPU linked to itself (" + gpuA + ")");
            }
            Check.present("TopologyReport.gpuLinks.kind", kind);
            Check.range("TopologyReport.gpuLinks.width", width, 1, 64);
        }
    }

    /**
     * A network interface of the node.
     *
     * @param closestGpus GPUs that reach this NIC through at most PCIe switches (PIX/PXB), whose traffic it carries
     * @param switchId    the switch its cable goes to, when the operator or LLDP told the agent
     */
    public record NicInfo(String name, NicKind kind, double speedBitsPerSec, List<Integer> closestGpus,
                          Optional<String> switchId) {
        public NicInfo {
            Check.text("TopologyReport.nics.name", name, 64);
            Check.present("TopologyReport.nics.kind", kind);
            Check.range("TopologyReport.nics.speedBitsPerSec", speedBitsPerSec, 0, 10e12);
            closestGpus = Check.list("TopologyReport.nics.closestGpus", closestGpus, 1024);
            Check.present("TopologyReport.nics.switchId", switchId);
            switchId.ifPresent(id -> Check.id("TopologyReport.nics.switchId", id));
        }
    }

    /** How two GPUs are connected, from fastest to slowest; the nvidia-smi topo -m legend. */
    public enum LinkKind {
        /** A bonded set of NVLinks (NV#). */
        NVLINK,
        /** At most one PCIe switch (PIX). */
        PCIE_SWITCH,
        /** Several PCIe switches, no host bridge (PXB). */
        PCIE_SWITCHES,
        /** Through a PCIe host bridge, typically the CPU (PHB). */
        PCIE_HOST_BRIDGE,
        /** Between PCIe host bridges within one NUMA node (NODE). */
        NUMA_NODE,
        /** Across the SMP interconnect between NUMA nodes (SYS). */
        SYSTEM
    }

    public enum NicKind {
        ETHERNET, INFINIBAND
    }
}
