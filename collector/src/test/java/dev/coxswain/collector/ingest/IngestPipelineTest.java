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
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class IngestPipelineTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterState state = new ClusterState(new ClusterGraph(LinkCapacities.defaults()), 10,
            Clock.fixed(Samples.T0, ZoneOffset.UTC), java.time.Duration.ofSeconds(30));
    private final IngestPipeline pipeline = new IngestPipeline(state, registry, Clock.fixed(Samples.T0, ZoneOffset.UTC));
    private final Samples samples = new Samples(1);

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void appliesValidRecordsAndCountsEveryOutcomeByReason() {
        StepReport step = samples.step("job-1", "w0", 1);
        byte[] bytes = TelemetryCodec.encode(step);
        assertThat(pipeline.handle("job-1", bytes)).isEqualTo(new IngestPipeline.Outcome.Applied(step));
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
