package dev.coxswain.whatif.sink;

import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.JobMembership;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTelemetryTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void writesEveryComponentByNameWithAbsentReadingsAsNull() {
        GpuSample g = new GpuSample("node-a", T, 1, "GPU-1", "H100 \"SXM\"", OptionalDouble.of(97.5), 1L << 30,
                80L << 30, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(650),
                OptionalDouble.empty(), OptionalDouble.of(61), 4, OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty());

        Map<String, Object> json = JsonParser.parseObject(JsonTelemetry.toJson(g));

        assertThat(json).containsEntry("type", "GpuSample").containsEntry("nodeId", "node-a")
                .containsEntry("timestamp", "2025-01-01T00:00:00Z").containsEntry("name", "H100 \"SXM\"")
                .containsEntry("utilizationPct", 97.5).containsEntry("memoryTotalBytes", 80L << 30)
                .containsEntry("smClockMhz", JsonParser.NULL).containsEntry("powerW", 650L)
                .containsEntry("throttleReasons", 4L);
    }

    @Test
    void writesNestedRecordsListsAndEnums() {
        JobMembership m = new JobMembership("job-1", T, JobMembership.CommPattern.RING_ALLREDUCE, 1024,
                List.of(new JobMembership.Member("w0", "node-a", 0, JobMembership.Role.WORKER)));

        Map<String, Object> json = JsonParser.parseObject(JsonTelemetry.toJson(m));

        assertThat(json).containsEntry("pattern", "RING_ALLREDUCE");
        assertThat(json.get("members")).isEqualTo(List.of(Map.of("workerId", "w0", "nodeId", "node-a",
                "gpuIndex", 0L, "role", "WORKER")));
    }
}
