package dev.coxswain.collector.ingest;

import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.graph.LinkCapacities;
import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.testkit.Samples;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class IngestPipelineTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> observed = new ArrayList<>();
    private final ClusterState state = new ClusterState(new ClusterGraph(LinkCapacities.defaults()), 10,
            Clock.fixed(Samples.T0, ZoneOffset.UTC), java.time.Duration.ofSeconds(30));
    private final IngestPipeline pipeline = new IngestPipeline(state, registry,
            Clock.fixed(Samples.T0, ZoneOffset.UTC), (key, micros) -> observed.add(key + "@" + micros));
    private final Samples samples = new Samples(1);

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void appliesValidRecordsAndCountsEveryOutcomeByReason() {
        StepReport step = samples.step("job-1", "w0", 1);
        byte[] bytes = TelemetryCodec.encode(step);
        assertThat(pipeline.handle("job-1", bytes)).isSameAs(IngestPipeline.Outcome.APPLIED);
        pipeline.handle("job-1", TelemetryCodec.encode(samples.step("job-1", "w0", 2)));
        assertThat(pipeline.handle("job-2", bytes)).isEqualTo(new IngestPipeline.Outcome.Rejected("KEY_MISMATCH",
                "key 'job-2' but the record belongs under 'job-1'"));
        assertThat(pipeline.handle("job-1", Arrays.copyOf(bytes, 10)))
                .isInstanceOfSatisfying(IngestPipeline.Outcome.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo("MALFORMED"));
        byte[] future = bytes.clone();
        future[1] = (byte) (TelemetryCodec.VERSION + 1);
        pipeline.handle("job-1", future);
        pipeline.handle("job-1", future);

        assertThat(count("coxswain.collector.records.applied")).isEqualTo(2);
        assertThat(count("coxswain.collector.dead.letters", "reason", "KEY_MISMATCH")).isEqualTo(1);
        assertThat(count("coxswain.collector.dead.letters", "reason", "MALFORMED")).isEqualTo(1);
        assertThat(count("coxswain.collector.dead.letters", "reason", "UNKNOWN_VERSION")).isEqualTo(2);
        assertThat(count("coxswain.collector.dead.letters", "reason", "INVALID")).isZero();
        assertThat(state.snapshot().jobs().get("job-1").workers().get("w0")).hasSize(2);
        long micros = step.timestamp().getEpochSecond() * 1_000_000 + step.timestamp().getNano() / 1000;
        assertThat(observed).as("the observer hears of applied records only").hasSize(2).first()
                .isEqualTo("job-1@" + micros);
    }

    /**
     * Step reports take the path that makes no record; it must keep exactly what the record path keeps: the same
     * bytes applied by either give the same window, for every version and optional field.
     */
    @Test
    void aStepAppliedWithoutItsRecordIsTheStepTheRecordGives() {
        ClusterState byRecord = new ClusterState(new ClusterGraph(LinkCapacities.defaults()), 10,
                Clock.fixed(Samples.T0, ZoneOffset.UTC), java.time.Duration.ofSeconds(30));
        List<StepReport> steps = List.of(
                new StepReport("job-1", "w0", 1, Samples.T0.plusNanos(123_456_000), 100, 50, 30, 5, 32, 32,
                        OptionalDouble.of(0.5), Optional.of(new StepReport.GradientStats(2, 3)), OptionalDouble.of(10)),
                new StepReport("job-1", "w0", 2, Samples.T0.plusSeconds(1), 100, 50, 30, 5, 16, 32,
                        OptionalDouble.empty(), Optional.empty()),
                new StepReport("job-1", "w1", 2, Samples.T0.minusSeconds(1), 0, 0, 0, 0, 0, 1,
                        OptionalDouble.empty(), Optional.empty(), OptionalDouble.of(0)));
        for (StepReport s : steps) {
            assertThat(pipeline.handle("job-1", TelemetryCodec.encode(s))).isSameAs(IngestPipeline.Outcome.APPLIED);
            byRecord.apply(s);
        }
        assertThat(state.snapshot().jobs().get("job-1").workers())
                .isEqualTo(byRecord.snapshot().jobs().get("job-1").workers());
        assertThat(count("coxswain.collector.records.applied")).isEqualTo(3);
    }

    @Test
    void aStepReportThatFailsACheckIsRejectedWithTheFieldNamed() {
        byte[] good = TelemetryCodec.encode(samples.step("job-1", "w0", 1));
        // the step time (f64 after magic, version, tag, two ids, step and time) set to NaN
        byte[] nan = good.clone();
        int at = 3 + (2 + 5) + (2 + 2) + 8 + 8;
        java.nio.ByteBuffer.wrap(nan).putDouble(at, Double.NaN);
        assertThat(pipeline.handle("job-1", nan)).isEqualTo(new IngestPipeline.Outcome.Rejected("INVALID",
                "StepReport.stepTimeMs: NaN"));
        assertThat(state.snapshot().jobs()).doesNotContainKey("job-1");
        assertThat(observed).isEmpty();
    }

    @Test
    void aRecordFromMoreThanADayAheadOfTheCollectorsClockIsADeadLetter() {
        StepReport ahead = new StepReport("job-1", "w0", 1, Samples.T0.plus(java.time.Duration.ofDays(2)), 100, 50,
                40, 5, 32, 32, java.util.OptionalDouble.empty(), java.util.Optional.empty());
        assertThat(pipeline.handle("job-1", TelemetryCodec.encode(ahead)))
                .isInstanceOfSatisfying(IngestPipeline.Outcome.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo("INVALID");
                    assertThat(r.detail()).contains("StepReport.timestamp", "more than a day ahead");
                });
        assertThat(count("coxswain.collector.dead.letters", "reason", "INVALID")).isEqualTo(1);
    }
}
