package dev.coxswain.whatif.calibrate;

import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.NodeGroup;

/**
 * What the cluster's specification says about the links a job's gradients cross, before any measurement: the
 * starting point and prior of the calibrated model. Bandwidths in bytes per second, latencies in seconds.
 *
 * @param intraBytesPerSec   GPU-to-GPU inside a node (staged through host memory on PCIe-only nodes)
 * @param flowCapBytesPerSec the most one inter-node flow gets: the NIC speed, or a per-flow limit below it
 * @param nicBytesPerSec     all NICs of a node together, per direction
 */
public record LinkPrior(double intraBytesPerSec, double flowCapBytesPerSec, double nicBytesPerSec,
                        double intraLatencySec, double interLatencySec) {
    public LinkPrior {
        if (!(intraBytesPerSec > 0) || !(flowCapBytesPerSec > 0) || !(nicBytesPerSec > 0)
                || !(intraLatencySec > 0) || !(interLatencySec > 0)) {
            throw new IllegalArgumentException("link prior values must be positive");
        }
    }

    /** The prior for jobs on the cluster's first node group (the measured jobs run on one kind of node). */
    public static LinkPrior of(ClusterSpec cluster) {
        NodeGroup g = cluster.groups().get(0);
        double intra = g.fabric().stagedThroughHost()
                ? Math.min(g.fabric().gpuBytesPerSec(), g.fabric().hostBytesPerSec()) / 2
                : g.fabric().gpuBytesPerSec();
        double nic = g.nics().totalBytesPerSec();
        return new LinkPrior(intra, Math.min(g.nics().perFlowBytesPerSec(), nic), nic,
                Math.max(g.fabric().latencySec(), 1e-6), Math.max(g.nics().latencySec(), 1e-6));
    }
}
