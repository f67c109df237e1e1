package dev.coxswain.collector.graph;

/**
 * Nominal capacities used where the telemetry gives none, per direction.
 *
 * @param nvlinkBytesPerSecPerLink one NVLink (NVLink 4 on H100: 25 GB/s per direction)
 * @param pcieBytesPerSec          a GPU's or NIC's PCIe link (Gen4 x16: about 25 GB/s usable)
 * @param nicBitsPerSecDefault     a NIC whose speed the agent could not read
 * @param spineOversubscription    ratio of a switch's downlink to its uplink capacity (1 = non-blocking)
 */
public record LinkCapacities(double nvlinkBytesPerSecPerLink, double pcieBytesPerSec, double nicBitsPerSecDefault,
                             double spineOversubscription) {
    public LinkCapacities {
        if (!(nvlinkBytesPerSecPerLink > 0 && pcieBytesPerSec > 0 && nicBitsPerSecDefault > 0
                && spineOversubscription >= 1)) {
            throw new IllegalArgumentException("capacities must be positive and oversubscription at least 1");
        }
    }

    public static LinkCapacities defaults() {
        return new LinkCapacities(25e9, 25e9, 100e9, 1.0);
    }
}
