package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.agent.sample.gpu.PrometheusText.Sample;
import dev.coxswain.core.telemetry.GpuSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Turns a dcgm-exporter scrape into one {@link GpuSample} per GPU (the {@code gpu} label). Whole-GPU series only:
 * MIG instance series ({@code GPU_I_ID} set) are left out. Memory comes as FB_USED and FB_FREE (plus FB_RESERVED when
 * exported) in MiB; PCIe and NVLink throughput only with the profiling (DCP) metrics enabled, and are absent
 * otherwise. The clock event mask is the one of DCGM 3.3+ ({@code CLOCKS_EVENT_REASONS}) or older
 * ({@code CLOCK_THROTTLE_REASONS}).
 */
public final class DcgmMetrics {
    static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String FB_USED = "DCGM_FI_DEV_FB_USED";
    static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
    static final String FB_RESERVED = "DCGM_FI_DEV_FB_RESERVED";
    static final String SM_CLOCK = "DCGM_FI_DEV_SM_CLOCK";
    static final String POWER = "DCGM_FI_DEV_POWER_USAGE";
    static final String POWER_LIMIT = "DCGM_FI_DEV_POWER_MGMT_LIMIT";
    static final String TEMPERATURE = "DCGM_FI_DEV_GPU_TEMP";
    static final String EVENT_REASONS = "DCGM_FI_DEV_CLOCKS_EVENT_REASONS";
    static final String THROTTLE_REASONS = "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS";
    static final String PCIE_TX = "DCGM_FI_PROF_PCIE_TX_BYTES";
    static final String PCIE_RX = "DCGM_FI_PROF_PCIE_RX_BYTES";
    static final String NVLINK_TX = "DCGM_FI_PROF_NVLINK_TX_BYTES";
    static final String NVLINK_RX = "DCGM_FI_PROF_NVLINK_RX_BYTES";
    private static final double MIB = 1 << 20;

    private DcgmMetrics() {
    }

    /**
     * @throws SourceFormatException when a GPU's series lack utilization, memory, clock, power or temperature, or
     *                               its {@code gpu} label is not an index
     */
    public static List<GpuSample> toSamples(List<Sample> scrape, String nodeId, Instant timestamp, String source) {
        Map<Integer, Map<String, Sample>> byGpu = new TreeMap<>();
        for (Sample s : scrape) {
            if (!s.name().startsWith("DCGM_FI_") || !s.label("GPU_I_ID").isEmpty() || s.label("gpu").isEmpty()) {
                continue;
            }
            int gpu;
            try {
                gpu = Integer.parseInt(s.label("gpu"));
            } catch (NumberFormatException e) {
                throw new SourceFormatException(source, 0, s.name() + ": gpu label '"
                        + CsvRow.shorten(s.label("gpu")) + "' is not an index");
            }
            byGpu.computeIfAbsent(gpu, g -> new HashMap<>()).putIfAbsent(s.name(), s);
        }
        List<GpuSample> out = new ArrayList<>();
        byGpu.forEach((gpu, series) -> out.add(sample(gpu, series, nodeId, timestamp, source)));
        return out;
    }

    private static GpuSample sample(int gpu, Map<String, Sample> m, String nodeId, Instant timestamp,
                                    String source) {
        Sample any = m.values().iterator().next();
        double used = required(m, FB_USED, gpu, source);
        double total = used + required(m, FB_FREE, gpu, source) + optional(m, FB_RESERVED).orElse(0);
        long mask = (long) optional(m, EVENT_REASONS).orElse(optional(m, THROTTLE_REASONS).orElse(0));
        return new GpuSample(nodeId, timestamp, gpu, any.label("UUID"), any.label("modelName"),
                optional(m, UTIL), (long) (used * MIB), (long) (total * MIB),
                optional(m, SM_CLOCK), OptionalDouble.empty(), optional(m, POWER),
                optional(m, POWER_LIMIT), optional(m, TEMPERATURE), Math.max(0, mask),
                optional(m, PCIE_TX), optional(m, PCIE_RX), optional(m, NVLINK_TX), optional(m, NVLINK_RX));
    }

    private static double required(Map<String, Sample> m, String name, int gpu, String source) {
        OptionalDouble v = optional(m, name);
        if (v.isEmpty()) {
            throw new SourceFormatException(source, 0, "GPU " + gpu + " has no finite " + name
                    + " (is it in the exporter's counters file?)");
        }
        return v.getAsDouble();
    }

    private static OptionalDouble optional(Map<String, Sample> m, String name) {
        Sample s = m.get(name);
        return s == null || !Double.isFinite(s.value()) ? OptionalDouble.empty() : OptionalDouble.of(s.value());
    }
}
