package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.InvalidTelemetryException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The fields the agent asks {@code nvidia-smi --query-gpu} for and how a row becomes a {@link GpuSample}.
 * Drivers before 530 do not know the {@code clocks_event_reasons.*} names; {@link #LEGACY} asks for the older
 * {@code clocks_throttle_reasons.*} spelling.
 *
 * @param fields the queried fields, in order
 */
public record GpuQuery(List<String> fields) {
    public static final String INDEX = "index";
    public static final String UUID = "uuid";
    public static final String NAME = "name";
    public static final String UTILIZATION = "utilization.gpu";
    public static final String MEMORY_USED = "memory.used";
    public static final String MEMORY_TOTAL = "memory.total";
    public static final String SM_CLOCK = "clocks.current.sm";
    public static final String SM_CLOCK_MAX = "clocks.max.sm";
    public static final String POWER = "power.draw";
    public static final String POWER_LIMIT = "enforced.power.limit";
    public static final String TEMPERATURE = "temperature.gpu";
    public static final String THROTTLE = "clocks_event_reasons.active";
    public static final String THROTTLE_LEGACY = "clocks_throttle_reasons.active";

    public static final GpuQuery CURRENT = new GpuQuery(List.of(INDEX, UUID, NAME, UTILIZATION, MEMORY_USED,
            MEMORY_TOTAL, SM_CLOCK, SM_CLOCK_MAX, POWER, POWER_LIMIT, TEMPERATURE, THROTTLE));
    public static final GpuQuery LEGACY = new GpuQuery(List.of(INDEX, UUID, NAME, UTILIZATION, MEMORY_USED,
            MEMORY_TOTAL, SM_CLOCK, SM_CLOCK_MAX, POWER, POWER_LIMIT, TEMPERATURE, THROTTLE_LEGACY));

    private static final long MIB = 1L << 20;

    public GpuQuery {
        fields = List.copyOf(fields);
    }

    /** The nvidia-smi arguments for this query. */
    public List<String> arguments() {
        return List.of("--query-gpu=" + String.join(",", fields), "--format=csv,noheader,nounits");
    }

    /**
     * A GPU sample from one row. Memory is required; utilization, clock, power and temperature that nvidia-smi
     * reports as unavailable (MIG mode has no utilization, some boards no power reading) are left out of the sample
     * and named in {@link Mapped#unavailable()} so the sampler can say so once.
     *
     * @throws SourceFormatException when the index, UUID or name is missing or a value is not a number
     * @throws InvalidTelemetryException when a value is out of the record's plausible range
     */
    public static Mapped toSample(CsvRow row, String nodeId, Instant timestamp) {
        List<String> unavailable = new ArrayList<>();
        long memoryTotal = (long) (reported(row, MEMORY_TOTAL, unavailable).orElse(0) * MIB);
        long memoryUsed = Math.min(memoryTotal, (long) (reported(row, MEMORY_USED, unavailable).orElse(0) * MIB));
        long throttle = row.hexMask(THROTTLE).or(() -> row.hexMask(THROTTLE_LEGACY)).orElse(0L);
        GpuSample sample = new GpuSample(nodeId, timestamp, row.integer(INDEX), row.required(UUID),
                row.required(NAME), reported(row, UTILIZATION, unavailable), memoryUsed, memoryTotal,
                reported(row, SM_CLOCK, unavailable), row.number(SM_CLOCK_MAX), reported(row, POWER, unavailable),
                row.number(POWER_LIMIT), reported(row, TEMPERATURE, unavailable), throttle, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        return new Mapped(sample, unavailable);
    }

    private static OptionalDouble reported(CsvRow row, String field, List<String> unavailable) {
        OptionalDouble v = row.number(field);
        if (v.isEmpty()) {
            unavailable.add(field);
        }
        return v;
    }

    /**
     * A sample and the fields nvidia-smi could not give: left out of the sample, or, for memory (which the record
     * requires), sent as 0.
     */
    public record Mapped(GpuSample sample, List<String> unavailable) {
        public Mapped {
            unavailable = List.copyOf(unavailable);
        }
    }
}
