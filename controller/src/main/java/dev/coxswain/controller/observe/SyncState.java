package dev.coxswain.controller.observe;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a job's workers synchronise, as far as its events tell: the mode ({@code bsp}, {@code ssp}, {@code asp}) and
 * the SSP bound. A job that never said (an all-reduce job) has neither and is taken as synchronous.
 */
public record SyncState(Optional<String> mode, OptionalInt staleness) {
    public static final SyncState UNKNOWN = new SyncState(Optional.empty(), OptionalInt.empty());

    /** Whether every step waits for all workers: BSP, or a job that never said otherwise. */
    public boolean synchronous() {
        return mode.map("bsp"::equals).orElse(true);
    }

    /** Whether the job has a staleness knob at all (a parameter-server job that reported its mode). */
    public boolean tunable() {
        return mode.isPresent();
    }
}
