package dev.coxswain.agent;

import dev.coxswain.core.telemetry.StepReport;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/** Small valid records for tests. */
public final class TestRecords {
    public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private TestRecords() {
    }

    public static StepReport step(String job, String worker, long step) {
        return new StepReport(job, worker, step, T0.plusMillis(step), 80, 60, 15, 4, 64, 64, OptionalDouble.empty(),
                Optional.empty());
    }
}
