package dev.coxswain.controller.observe;

import java.util.OptionalInt;

/**
 * A free place a worker could be moved to: a GPU that no job's worker uses, or a spare node that the user set aside
 * ({@code controller.placement.spares}).
 *
 * @param gpu           the GPU's index on the node; empty for a spare node (whatever device it has)
 * @param relativeSpeed the device's speed relative to a healthy one of its kind: its SM clock over its maximum in
 *                      its latest sample while it is throttled, else (and when unknown) 1
 */
public record Slot(String node, OptionalInt gpu, double relativeSpeed) {
    public Slot {
        if (!(relativeSpeed > 0) || relativeSpeed > 1) {
            throw new IllegalArgumentException("relative speed " + relativeSpeed + " of slot " + node
                    + " must be in (0, 1]");
        }
    }

    @Override
    public String toString() {
        return gpu.isPresent() ? node + "/gpu" + gpu.getAsInt() : node;
    }
}
