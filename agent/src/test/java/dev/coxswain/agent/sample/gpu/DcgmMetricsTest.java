package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.Fixtures;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.GpuSample;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DcgmMetricsTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static List<GpuSample> samples(String text) {
        return DcgmMetrics.toSamples(PrometheusText.parse(text, "dcgm"), "node-a", T, "dcgm");
    }

    @Test
    void mapsTheTeslaT4Scrape() {
        List<GpuSample> s = samples(Fixtures.text(PrometheusTextTest.T4));
        assertThat(s).containsExactly(new GpuSample("node-a", T, 0, "GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e",
                "Tesla T4", OptionalDouble.of(0), 0, 15109L << 20, OptionalDouble.of(300), OptionalDouble.empty(),
                OptionalDouble.of(8.969), OptionalDouble.empty(), OptionalDouble.of(25), 0, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
    }

    /**
     * A synthetic two-GPU scrape with profiling metrics and a MIG instance series: no multi-GPU scrape with clear
     * provenance was found (see the fixtures README).
     */
    @Test
    void mapsSeveralGpusWithProfilingMetricsAndSkipsMigInstances() {
        StringBuilder text = new StringBuilder();
        for (int gpu = 0; gpu < 2; gpu++) {
            String l = "{gpu=\"" + gpu + "\",UUID=\"GPU-" + gpu + "\",device=\"nvidia" + gpu
                    + "\",modelName=\"NVIDIA H100 80GB HBM3\",Hostname=\"n\",pod=\"trainer-0\"}";
            text.append("DCGM_FI_DEV_GPU_UTIL").append(l).append(' ').append(90 + gpu).append('\n')
                    .append("DCGM_FI_DEV_FB_USED").append(l).append(" 1000\n")
                    .append("DCGM_FI_DEV_FB_FREE").append(l).append(" 80000\n")
                    .append("DCGM_FI_DEV_FB_RESERVED").append(l).append(" 559\n")
                    .append("DCGM_FI_DEV_SM_CLOCK").append(l).append(" 1980\n")
                    .append("DCGM_FI_DEV_POWER_USAGE").append(l).append(" 650.5\n")
                    .append("DCGM_FI_DEV_GPU_TEMP").append(l).append(" 60\n")
                    .append("DCGM_FI_DEV_CLOCKS_EVENT_REASONS").append(l).append(" 4\n")
                    .append("DCGM_FI_PROF_PCIE_TX_BYTES").append(l).append(" 1.5e9\n")
                    .append("DCGM_FI_PROF_NVLINK_RX_BYTES").append(l).append(" 2.5e11\n");
        }
        text.append("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",GPU_I_ID=\"1\",UUID=\"GPU-0\"} 5\n");
        List<GpuSample> s = samples(text.toString());
        assertThat(s).extracting(GpuSample::index).containsExactly(0, 1);
        GpuSample g1 = s.get(1);
        assertThat(g1.utilizationPct()).hasValue(91);
        assertThat(s.getFirst().utilizationPct()).hasValue(90);
        assertThat(g1.memoryTotalBytes()).isEqualTo(81559L << 20);
        assertThat(g1.activeThrottleReasons()).containsExactly(GpuSample.ThrottleReason.SW_POWER_CAP);
        assertThat(g1.pcieTxBytesPerSec()).hasValue(1.5e9);
        assertThat(g1.pcieRxBytesPerSec()).isEmpty();
        assertThat(g1.nvlinkRxBytesPerSec()).hasValue(2.5e11);
    }

    @Test
    void aGpuWithoutARequiredMetricIsAnError() {
        assertThatThrownBy(() -> samples("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"} 3\n"))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith("dcgm: GPU 0 has no finite DCGM_FI_DEV_FB_USED");
        assertThatThrownBy(() -> samples("DCGM_FI_DEV_GPU_UTIL{gpu=\"x\"} 3\n"))
                .hasMessage("dcgm: DCGM_FI_DEV_GPU_UTIL: gpu label 'x' is not an index");
    }

    @Test
    void aScrapeWithoutDcgmSeriesHasNoGpus() {
        assertThat(samples("# HELP go_goroutines x\ngo_goroutines 12\n")).isEmpty();
    }
}
