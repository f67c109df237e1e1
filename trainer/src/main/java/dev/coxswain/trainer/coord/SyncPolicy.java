package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.SyncMode;

/**
 * When a worker may begin a clock. A worker's clock is the number of iterations it has completed; the slowest
 * worker's clock is the minimum. A worker may begin iteration {@code t} (so be at clock {@code t}) only when
 * {@code t - slowest <= bound}: BSP and SSP(0) bound it by 0 (everyone finished {@code t - 1}), SSP(s) by {@code s},
 * ASP not at all. That is the SSP invariant: no worker is ever more than {@code s} clocks ahead of the slowest.
 */
public record SyncPolicy(SyncMode mode, int staleness) {

    public SyncPolicy {
        if (mode == null || staleness < 0) {
            throw new IllegalArgumentException("SyncPolicy: mode " + mode + ", staleness " + staleness);
        }
    }

    /** The largest lead allowed over the slowest worker, or {@code Long.MAX_VALUE} for ASP. */
    public long bound() {
        return switch (mode) {
            case BSP -> 0;
            case SSP -> staleness;
            case ASP -> Long.MAX_VALUE;
        };
    }

    /** Whether a worker may begin clock {@code clock} while the slowest worker is at {@code slowestClock}. */
    public boolean allows(long clock, long slowestClock) {
        return clock - slowestClock <= bound();
    }

    /** Whether gradients are held and summed per clock (BSP) rather than applied on arrival. */
    public boolean synchronous() {
        return mode == SyncMode.BSP;
    }

    @Override
    public String toString() {
        return mode == SyncMode.SSP ? "ssp(" + staleness + ")" : mode.wireName();
    }
}
