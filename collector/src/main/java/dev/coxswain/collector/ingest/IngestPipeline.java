package dev.coxswain.collector.ingest;

import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.core.telemetry.Check;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.StepFields;
import dev.coxswain.core.wire.TelemetryDecoder;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes, checks and applies one Kafka record to the {@link ClusterState}; the step the benchmark times. A record
 * that cannot be used comes back as a {@link Outcome.Rejected} with its reason, for the dead-letter topic. Owned by
 * the collector thread.
 *
 * <p>Step reports, nearly every record, take a path that makes no object: the decoder reads and checks the fields
 * into one reused {@link StepFields}, and the state copies them into the worker's primitive window. Anything else,
 * and a step report that fails a check, takes the general path, which makes the record or says why not.
 */
public final class IngestPipeline {

    /** What happened to one record. */
    public sealed interface Outcome {
        /** The one value of {@link Applied}: nothing to carry, so nothing to make per record. */
        Applied APPLIED = new Applied();

        record Applied() implements Outcome {
        }

        /** @param reason a short code: a {@link DecodeResult.Reason} name or {@code KEY_MISMATCH} */
        record Rejected(String reason, String detail) implements Outcome {
        }
    }

    /** Told of every applied record, on the collector thread; the ingest benchmark times with it. */
    public interface ApplyObserver {
        ApplyObserver NONE = (key, epochMicros) -> { };

        /** @param epochMicros the record's time, microseconds since the epoch */
        void applied(String key, long epochMicros);
    }

    private final ClusterState state;
    private final TelemetryDecoder decoder = new TelemetryDecoder();
    private final StepFields step = new StepFields();
    private final Clock clock;
    private final ApplyObserver observer;
    private final AtomicLong applied = new AtomicLong();
    private final Map<DecodeResult.Reason, AtomicLong> rejected = new EnumMap<>(DecodeResult.Reason.class);
    private final AtomicLong keyMismatch;

    /** @param clock the collector's clock, which a record's time may be at most a day ahead of */
    public IngestPipeline(ClusterState state, MeterRegistry registry, Clock clock, ApplyObserver observer) {
        this.state = state;
        this.clock = clock;
        this.observer = observer;
        FunctionCounter.builder("coxswain.collector.records.applied", applied, AtomicLong::get)
                .description("Telemetry records decoded, validated and applied to the cluster state")
                .baseUnit("records").register(registry);
        for (DecodeResult.Reason r : DecodeResult.Reason.values()) {
            rejected.put(r, deadLetterCounter(registry, r.name()));
        }
        this.keyMismatch = deadLetterCounter(registry, "KEY_MISMATCH");
    }

    private static AtomicLong deadLetterCounter(MeterRegistry registry, String reason) {
        AtomicLong count = new AtomicLong();
        FunctionCounter.builder("coxswain.collector.dead.letters", count, AtomicLong::get)
                .description("Records sent to the dead-letter topic, by reason")
                .baseUnit("records").tag("reason", reason).register(registry);
        return count;
    }

    /**
     * Counts are written by the owning thread only, so a release store of the next value suffices: no atomic
     * read-modify-write per record (Micrometer's {@code Counter} does one, a locked instruction that JFR put at a
     * fifth of the apply thread's time). Readers (the meter registry) see every count soon after.
     */
    private static void increment(AtomicLong count) {
        count.lazySet(count.get() + 1);
    }

    public Outcome handle(String key, byte[] value) {
        if (decoder.decodeStep(value, step) && !Check.ahead(step.epochSecond(), clock) && step.jobId().equals(key)) {
            state.applyStep(step);
            increment(applied);
            observer.applied(key, step.epochMicros());
            return Outcome.APPLIED;
        }
        DecodeResult result = decoder.decode(value);
        return switch (result) {
            case DecodeResult.Rejected r -> {
                increment(rejected.get(r.reason()));
                yield new Outcome.Rejected(r.reason().name(), r.detail());
            }
            case DecodeResult.Decoded d -> {
                Telemetry record = d.record();
                if (Check.ahead(record.timestamp(), clock)) {
                    increment(rejected.get(DecodeResult.Reason.INVALID));
                    yield new Outcome.Rejected(DecodeResult.Reason.INVALID.name(), Check.aheadError(
                            record.getClass().getSimpleName() + ".timestamp", record.timestamp(), clock)
                            .getMessage());
                }
                String expected = expectedKey(record);
                if (!expected.equals(key)) {
                    increment(keyMismatch);
                    yield new Outcome.Rejected("KEY_MISMATCH",
                            "key '" + key + "' but the record belongs under '" + expected + "'");
                }
                state.apply(record);
                increment(applied);
                Instant t = record.timestamp();
                observer.applied(key, t.getEpochSecond() * 1_000_000 + t.getNano() / 1000);
                yield Outcome.APPLIED;
            }
        };
    }

    private static String expectedKey(Telemetry record) {
        return switch (record) {
            case TopologyReport t -> TelemetryPublisher.NODE_KEY_PREFIX + t.nodeId();
            case JobMembership m -> TelemetryPublisher.JOB_KEY_PREFIX + m.jobId();
            default -> record.key();
        };
    }
}
