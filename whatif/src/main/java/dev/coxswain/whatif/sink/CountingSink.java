package dev.coxswain.whatif.sink;

import dev.coxswain.core.telemetry.Telemetry;

/** Counts records and drops them: for benchmarks of the engine alone. */
public final class CountingSink implements SimOutput {
    private long count;

    @Override
    public void accept(Telemetry record) {
        count++;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public void close() {
    }
}
