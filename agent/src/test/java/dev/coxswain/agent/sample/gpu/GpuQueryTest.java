package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.GpuSample;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rows built from the real fixtures by selecting the agent's columns (see {@link QueryGpuFixtures}). */
class GpuQueryTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static CsvRow row(String fixture, GpuQuery query) {
        return NvidiaSmiCsv.parseNoHeader(QueryGpuFixtures.noHeaderLine(fixture, query.fields()), query.fields(),
                "nvidia-smi").getFirst();
    }

    @Test
    void mapsAnH100UnderLoadToAGpuSample() {
        GpuQuery.Mapped m = GpuQuery.toSample(row(QueryGpuFixtures.H100_LOAD, GpuQuery.CURRENT), "node-a", T);
        assertThat(m.unavailable()).isEmpty();
        assertThat(m.sample()).isEqualTo(new GpuSample("node-a", T, 0, "GPU-00000000-0000-0000-0000-000000000000",
                "NVIDIA H100 80GB HBM3", OptionalDouble.of(100), 19818L << 20, 81559L << 20, OptionalDouble.of(1980),
                OptionalDouble.of(1980), OptionalDouble.of(631.95), OptionalDouble.of(700), OptionalDouble.of(59), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
    }

    @Test
    void readsTheIdleThrottleReasonFromAnIdleH100() {
        GpuSample s = GpuQuery.toSample(row(QueryGpuFixtures.H100_IDLE, GpuQuery.CURRENT), "node-a", T).sample();
        assertThat(s.activeThrottleReasons()).containsExactly(GpuSample.ThrottleReason.GPU_IDLE);
        assertThat(s.smClockMhz()).hasValue(345);
        assertThat(s.powerW()).hasValue(69.85);
    }

    @Test
    void mapsAnH200() {
        GpuSample s = GpuQuery.toSample(row(QueryGpuFixtures.H200_LOAD, GpuQuery.CURRENT), "node-a", T).sample();
        assertThat(s.memoryTotalBytes()).isEqualTo(143771L << 20);
        assertThat(s.name()).isEqualTo("NVIDIA H200");
    }

    @Test
    void readsTheLegacyThrottleFieldOfOlderDrivers() {
        CsvRow r = NvidiaSmiCsv.parseNoHeader("3, GPU-1, Tesla V100, 50, 100, 16000, 1300, 1530, 250.5, 300.00,"
                + " 70, 0x0000000000000004", GpuQuery.LEGACY.fields(), "nvidia-smi").getFirst();
        GpuSample s = GpuQuery.toSample(r, "node-a", T).sample();
        assertThat(s.index()).isEqualTo(3);
        assertThat(s.activeThrottleReasons()).containsExactly(GpuSample.ThrottleReason.SW_POWER_CAP);
    }

    @Test
    void leavesUnavailableValuesOutAndNamesThem() {
        CsvRow r = NvidiaSmiCsv.parseNoHeader("0, GPU-1, A100 MIG, [N/A], 100, 40000, 1400, [N/A], [N/A],"
                + " [N/A], 40, [N/A]", GpuQuery.CURRENT.fields(), "nvidia-smi").getFirst();
        GpuQuery.Mapped m = GpuQuery.toSample(r, "node-a", T);
        assertThat(m.unavailable()).containsExactly("utilization.gpu", "power.draw");
        assertThat(m.sample().utilizationPct()).isEmpty();
        assertThat(m.sample().powerW()).isEmpty();
        assertThat(m.sample().smClockMhz()).hasValue(1400);
        assertThat(m.sample().smClockMaxMhz()).isEmpty();
        assertThat(m.sample().powerLimitW()).isEmpty();
        assertThat(m.sample().throttleReasons()).isZero();
    }

    @Test
    void aMissingUuidIsAnErrorNamingTheField() {
        CsvRow r = NvidiaSmiCsv.parseNoHeader("0, [N/A], x, 1, 1, 1, 1, 1, 1, 1, 1, 0x0",
                GpuQuery.CURRENT.fields(), "nvidia-smi").getFirst();
        assertThatThrownBy(() -> GpuQuery.toSample(r, "node-a", T)).isInstanceOf(SourceFormatException.class)
                .hasMessage("nvidia-smi line 1: uuid is missing or not available");
    }

    @Test
    void asksForCsvWithoutHeaderOrUnits() {
        assertThat(GpuQuery.CURRENT.arguments()).isEqualTo(List.of("--query-gpu=index,uuid,name,utilization.gpu,"
                + "memory.used,memory.total,clocks.current.sm,clocks.max.sm,power.draw,enforced.power.limit,"
                + "temperature.gpu,clocks_event_reasons.active", "--format=csv,noheader,nounits"));
    }
}
