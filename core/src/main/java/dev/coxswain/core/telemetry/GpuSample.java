package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * One sample of one GPU. Sources differ in what they expose (nvidia-smi has no PCIe or NVLink throughput,
 * dcgm-exporter has them only with profiling metrics enabled), and a GPU may not report a value at all (in MIG mode
 * there is no utilization; some boards have no power reading), so everything but the identity, memory and throttle
 * reasons is optional: absent, never a made-up zero.
 *
 * @param throttleReasons NVML "clocks event reasons" bit mask ({@code clocks_event_reasons.active}); see
 *                        {@link ThrottleReason}
 */
public record GpuSample(
        String nodeId,
        Instant timestamp,
        int index,
        String uuid,
        String name,
        OptionalDouble utilizationPct,
        long memoryUsedBytes,
        long memoryTotalBytes,
        OptionalDouble smClockMhz,
        OptionalDouble smClockMaxMhz,
        OptionalDouble powerW,
        OptionalDouble powerLimitW,
        OptionalDouble temperatureC,
        long throttleReasons,
        OptionalDouble pcieTxBytesPerSec,
        OptionalDouble pcieRxBytesPerSec,
        OptionalDouble nvlinkTxBytesPerSec,
        OptionalDouble nvlinkRxBytesPerSec) implements Telemetry {

    /** 1 TB of memory, 10 GHz, 10 kW, 2 TB/s per direction: anything above is a parser or driver fault. */
    private static final long MAX_MEMORY_BYTES = 1L << 40;
    private static final double MAX_CLOCK_MHZ = 10_000;
    private static final double MAX_POWER_W = 10_000;
    private static final double MAX_BYTES_PER_SEC = 2e12;

    public GpuSample {
        Check.id("GpuSample.nodeId", nodeId);
        timestamp = Check.time("GpuSample.timestamp", timestamp);
        Check.range("GpuSample.index", index, 0, 1023);
        Check.text("GpuSample.uuid", uuid, 128);
        Check.text("GpuSample.name", name, 128);
        optional("GpuSample.utilizationPct", utilizationPct, 0, 100);
        Check.range("GpuSample.memoryUsedBytes", memoryUsedBytes, 0, MAX_MEMORY_BYTES);
        Check.range("GpuSample.memoryTotalBytes", memoryTotalBytes, 0, MAX_MEMORY_BYTES);
        if (memoryUsedBytes > memoryTotalBytes) {
            throw new InvalidTelemetryException("GpuSample.memoryUsedBytes",
                    memoryUsedBytes + " exceeds memoryTotalBytes " + memoryTotalBytes);
        }
        optional("GpuSample.smClockMhz", smClockMhz, 0, MAX_CLOCK_MHZ);
        optional("GpuSample.smClockMaxMhz", smClockMaxMhz, 0, MAX_CLOCK_MHZ);
        optional("GpuSample.powerW", powerW, 0, MAX_POWER_W);
        optional("GpuSample.powerLimitW", powerLimitW, 0, MAX_POWER_W);
        optional("GpuSample.temperatureC", temperatureC, -50, 150);
        Check.range("GpuSample.throttleReasons", throttleReasons, 0, Long.MAX_VALUE);
        optional("GpuSample.pcieTxBytesPerSec", pcieTxBytesPerSec, 0, MAX_BYTES_PER_SEC);
        optional("GpuSample.pcieRxBytesPerSec", pcieRxBytesPerSec, 0, MAX_BYTES_PER_SEC);
        optional("GpuSample.nvlinkTxBytesPerSec", nvlinkTxBytesPerSec, 0, MAX_BYTES_PER_SEC);
        optional("GpuSample.nvlinkRxBytesPerSec", nvlinkRxBytesPerSec, 0, MAX_BYTES_PER_SEC);
    }

    private static void optional(String field, OptionalDouble value, double min, double max) {
        Check.present(field, value);
        if (value.isPresent()) {
            Check.range(field, value.getAsDouble(), min, max);
        }
    }

    @Override
    public Scope scope() {
        return Scope.NODE;
    }

    @Override
    public String key() {
        return nodeId;
    }

    /** The active throttle reasons decoded from the NVML bit mask; unknown bits are ignored. */
    public Set<ThrottleReason> activeThrottleReasons() {
        Set<ThrottleReason> active = EnumSet.noneOf(ThrottleReason.class);
        for (ThrottleReason reason : ThrottleReason.values()) {
            if ((throttleReasons & reason.mask()) != 0) {
                active.add(reason);
            }
        }
        return active;
    }

    /** NVML clocks event reasons (nvmlClocksEventReason*), the bits of {@link #throttleReasons()}. */
    public enum ThrottleReason {
        GPU_IDLE(0x1),
        APPLICATIONS_CLOCKS_SETTING(0x2),
        SW_POWER_CAP(0x4),
        HW_SLOWDOWN(0x8),
        SYNC_BOOST(0x10),
        SW_THERMAL_SLOWDOWN(0x20),
        HW_THERMAL_SLOWDOWN(0x40),
        HW_POWER_BRAKE_SLOWDOWN(0x80),
        DISPLAY_CLOCK_SETTING(0x100);

        private final long mask;

        ThrottleReason(long mask) {
            this.mask = mask;
        }

        public long mask() {
            return mask;
        }

        /** Whether this reason means the GPU runs slower than it could for a reason outside the job. */
        public boolean slowsCompute() {
            return this == SW_POWER_CAP || this == HW_SLOWDOWN || this == SW_THERMAL_SLOWDOWN
                    || this == HW_THERMAL_SLOWDOWN || this == HW_POWER_BRAKE_SLOWDOWN;
        }
    }
}
