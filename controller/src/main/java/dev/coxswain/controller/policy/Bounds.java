package dev.coxswain.controller.policy;

import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;

import java.util.Optional;

/**
 * The limits a user sets on what the controller may do, within the knobs' own limits ({@link Knob}).
 *
 * @param minBatch      the least local batch the controller gives a worker
 * @param maxBatch      the largest local batch it gives a worker
 * @param maxChange     the largest relative change of a worker's batch in one action: 0.75 lets a batch of 100
 *                      go down to 25 or up to 400
 * @param maxStaleness  the largest SSP bound it sets
 */
public record Bounds(int minBatch, int maxBatch, double maxChange, int maxStaleness) {
    public Bounds {
        Knob.BATCH_SIZE.checkInt(minBatch);
        Knob.BATCH_SIZE.checkInt(maxBatch);
        if (minBatch > maxBatch) {
            throw new IllegalArgumentException("min batch " + minBatch + " is above max batch " + maxBatch);
        }
        if (!(maxChange > 0 && maxChange < 1)) {
            throw new IllegalArgumentException("max change " + maxChange + " is not in (0, 1)");
        }
        Knob.STALENESS.checkInt(maxStaleness);
    }

    /** What is wrong with a setting a person asks for, naming the knob and the bound; empty when it is within. */
    public Optional<String> violation(KnobSetting s) {
        return switch (s.knob()) {
            case BATCH_SIZE -> s.intValue() < minBatch || s.intValue() > maxBatch
                    ? Optional.of(s + ": outside the controller's bounds [" + minBatch + ", " + maxBatch + "]")
                    : Optional.empty();
            case STALENESS -> s.intValue() > maxStaleness
                    ? Optional.of(s + ": above the controller's maximum staleness " + maxStaleness)
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The least batch a worker at {@code current} may be given in one action. */
    public int lowest(int current) {
        return Math.max(minBatch, (int) Math.ceil(current * (1 - maxChange)));
    }

    /** The largest batch a worker at {@code current} may be given in one action. */
    public int highest(int current) {
        return Math.min(maxBatch, (int) Math.floor(current / (1 - maxChange)));
    }
}
