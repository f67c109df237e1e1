package dev.coxswain.graphmodels.window;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a worker sits in the cluster graph: the keys of its neighbourhood. Two workers with the same host share
 * its CPUs and PCIe; with the same NIC they share its uplink; with the same switch they share the switch's links.
 * Each key is optional because offline inputs often lack them.
 */
public record WorkerLocation(Optional<String> host, Optional<String> nic, Optional<String> switchId) {

    private static final WorkerLocation UNKNOWN = new WorkerLocation(Optional.empty(), Optional.empty(), Optional.empty());

    public WorkerLocation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nic, "nic");
        Objects.requireNonNull(switchId, "switchId");
        host.ifPresent(h -> requireText("host", h));
        nic.ifPresent(n -> requireText("nic", n));
        switchId.ifPresent(s -> requireText("switchId", s));
    }

    private static void requireText(String field, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank when present");
        }
    }

    /** No placement known. */
    public static WorkerLocation unknown() {
        return UNKNOWN;
    }

    /** A worker on {@code host} whose NIC uplink goes to {@code switchId}; the NIC key is host-qualified. */
    public static WorkerLocation of(String host, String nic, String switchId) {
        return new WorkerLocation(Optional.of(host), Optional.of(host + "/" + nic), Optional.of(switchId));
    }
}
