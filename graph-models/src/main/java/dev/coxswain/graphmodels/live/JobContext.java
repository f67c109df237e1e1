package dev.coxswain.graphmodels.live;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.graphmodels.cause.Cause;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What the live detector knows about a job's workers besides their steps, as of one snapshot: where each runs and
 * what its hardware said last. Episodes take their placement and the few words of evidence behind their cause from
 * it. Immutable.
 */
record JobContext(String jobId, Map<String, WorkerFacts> workers) {

    JobContext {
        Objects.requireNonNull(jobId, "jobId");
        workers = Map.copyOf(workers);
    }

    /**
     * @param nodeId     the node the membership places the worker on
     * @param gpuIndex   its GPU there, or -1
     * @param lastStep   the last step it reported, or -1
     * @param gpu        the latest sample of its GPU
     * @param host       the latest sample of its host
     * @param uplinkUtil load over capacity of its network uplink
     */
    record WorkerFacts(Optional<String> nodeId, int gpuIndex, long lastStep, Optional<GpuSample> gpu,
                       Optional<HostSample> host, OptionalDouble uplinkUtil) {
        static final WorkerFacts UNKNOWN = new WorkerFacts(Optional.empty(), -1, -1, Optional.empty(),
                Optional.empty(), OptionalDouble.empty());
    }

    WorkerFacts worker(String workerId) {
        return workers.getOrDefault(workerId, WorkerFacts.UNKNOWN);
    }

    /** The telemetry behind {@code cause} for this worker, in a few words; empty when there is none to show. */
    String detail(String workerId, Cause cause) {
        WorkerFacts w = worker(workerId);
        return switch (cause) {
            case GPU_COMPUTE -> w.gpu().map(JobContext::gpuDetail).orElse("");
            case HOST_CONTENTION -> w.host().map(h -> String.format(Locale.ROOT, "host CPU %.0f%%, I/O wait %.0f%%",
                    h.cpuUtilPct(), h.ioWaitPct())).orElse("");
            case NETWORK -> w.uplinkUtil().isPresent()
                    ? String.format(Locale.ROOT, "uplink at %.0f%% of capacity", 100 * w.uplinkUtil().getAsDouble())
                    : "";
            case NONE, IMBALANCE, UNKNOWN -> "";
        };
    }

    private static String gpuDetail(GpuSample g) {
        String reasons = g.activeThrottleReasons().stream().filter(GpuSample.ThrottleReason::slowsCompute)
                .map(Enum::name).collect(Collectors.joining(", "));
        List<String> readings = new ArrayList<>();
        g.smClockMhz().ifPresent(c -> readings.add(String.format(Locale.ROOT, "SM clock %.0f%s MHz", c,
                g.smClockMaxMhz().isPresent() ? String.format(Locale.ROOT, "/%.0f", g.smClockMaxMhz().getAsDouble())
                        : "")));
        g.temperatureC().ifPresent(t -> readings.add(String.format(Locale.ROOT, "%.0f °C", t)));
        String clock = String.join(", ", readings);
        return reasons.isEmpty() || clock.isEmpty() ? reasons + clock : reasons + "; " + clock;
    }
}
