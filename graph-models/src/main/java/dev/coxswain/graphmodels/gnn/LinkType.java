package dev.coxswain.graphmodels.gnn;

/** What a link is, as the graph model tells links apart: one of its link features. */
public enum LinkType {
    /** A GPU's own link into its node's fabric (NVLink, NVSwitch or PCIe), either way. */
    DEVICE,
    /** A node's host path (staged copies through host memory). */
    HOST,
    /** A network card, either way. */
    NIC,
    /** A switch's uplink or downlink in the fabric. */
    SWITCH,
    /** A direct path between two hosts. */
    HOST_PAIR
}
