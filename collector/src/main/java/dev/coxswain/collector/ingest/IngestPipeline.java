package dev.coxswain.collector.ingest;

import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.wire.DecodeResult;
import dev.coxswain.core.wire.TelemetryDecoder;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes, checks and applies one Kafka record to the {@link ClusterState}; the step the benchmark times. A record
 * that cannot be used comes back as a {@link Outcome.Rejected} with its reason, for the dead-letter topic. Owned by
 * the collector thread.
 */
public final class IngestPipeline {

    /** What happened to one record. */
    public sealed interface Outcome {
        record Applied(Telemetry record) implements Outcome {
        }

        /** @param reason a short code: a {@link DecodeResult.Reason} name or {@code KEY_MISMATCH} */
        record Rejected(String reason, String detail) implements Outcome {
        }
    }

    private final ClusterState state;
    private final TelemetryDecoder decoder = new TelemetryDecoder();
    private final Counter applied;
    private final Map<DecodeResult.Reason, Counter> rejected = new EnumMap<>(DecodeResult.Reason.class);
    private final Counter keyMismatch;

    public IngestPipeline(ClusterState state, MeterRegistry registry) {
        this.state = state;
        this.applied = Counter.builder("coxswain.collector.records.applied")
                .description("Telemetry records decoded, validated and applied to the cluster state")
                .baseUnit("records").register(registry);
        for (DecodeResult.Reason r : DecodeResult.Reason.values()) {
            rejected.put(r, deadLetterCounter(registry, r.name()));
        }
        this.keyMismatch = deadLetterCounter(registry, "KEY_MISMATCH");
    }

    private static Counter deadLetterCounter(MeterRegistry registry, String reason) {
        return Counter.builder("coxswain.collector.dead.letters")
                .description("Records sent to the dead-letter topic, by reason")
                .baseUnit("records").tag("reason", reason).register(registry);
    }

    public Outcome handle(String key, byte[] value) {
        DecodeResult result = decoder.decode(value);
        return switch (result) {
            case DecodeResult.Rejected r -> {
                rejected.get(r.reason()).increment();
                yield new Outcome.Rejected(r.reason().name(), r.detail());
            }
            case DecodeResult.Decoded d -> {
                String expected = expectedKey(d.record());
                if (!expected.equals(key)) {
                    keyMismatch.increment();
                    yield new Outcome.Rejected("KEY_MISMATCH",
                            "key '" + key + "' but the record belongs under '" + expected + "'");
                }
                state.apply(d.record());
                applied.increment();
                yield new Outcome.Applied(d.record());
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
