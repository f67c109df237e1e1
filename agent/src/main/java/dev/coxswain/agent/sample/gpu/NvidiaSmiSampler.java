package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.agent.sample.SourceFormatException;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.InvalidTelemetryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GPU samples from {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits}, one per GPU per interval. A row
 * that cannot be read is counted and skipped; the other GPUs are still sampled. Required values a GPU reports as
 * unavailable are sent as 0 and named once in the log.
 */
public final class NvidiaSmiSampler implements Sampler {
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmiSampler.class);

    private final String nodeId;
    private final NvidiaSmi nvidiaSmi;
    private final SampleErrors errors;
    private final Set<String> toldUnavailable = new HashSet<>();

    public NvidiaSmiSampler(String nodeId, NvidiaSmi nvidiaSmi, SampleErrors errors) {
        this.nodeId = nodeId;
        this.nvidiaSmi = nvidiaSmi;
        this.errors = errors;
    }

    @Override
    public String name() {
        return "nvidia-smi";
    }

    @Override
    public List<GpuSample> sample(Instant now) {
        List<GpuSample> out = new ArrayList<>();
        for (CsvRow row : nvidiaSmi.queryGpus().orElse(List.of())) {
            try {
                GpuQuery.Mapped m = GpuQuery.toSample(row, nodeId, now);
                out.add(m.sample());
                for (String field : m.unavailable()) {
                    if (toldUnavailable.add(m.sample().index() + "/" + field)) {
                        log.info("GPU {} reports {} as unavailable; its samples leave it out", m.sample().index(),
                                field);
                    }
                }
            } catch (SourceFormatException | InvalidTelemetryException e) {
                errors.record(NvidiaSmi.SOURCE, e.getMessage());
            }
        }
        return out;
    }
}
