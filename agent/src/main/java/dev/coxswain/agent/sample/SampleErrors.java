package dev.coxswain.agent.sample;

import dev.coxswain.agent.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts and logs what the samplers could not read: unparseable tool output, a tool that timed out, a file that
 * vanished. Counted in {@code coxswain.agent.sample.errors} tagged by source (a handful of fixed names); each
 * source logs at most one line every 30 s. Thread-safe.
 */
public final class SampleErrors {
    private static final Logger log = LoggerFactory.getLogger(SampleErrors.class);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, RateLimitedLog> logs = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    public SampleErrors(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Records one failure of {@code source} (e.g. {@code /proc/stat}, {@code nvidia-smi}) with its message. */
    public void record(String source, String message) {
        total.incrementAndGet();
        counters.computeIfAbsent(source, s -> Counter.builder("coxswain.agent.sample.errors").tag("source", s)
                .description("Sampler reads that failed: unparseable output, timeouts, missing files")
                .register(registry)).increment();
        logs.computeIfAbsent(source, s -> new RateLimitedLog(log, Duration.ofSeconds(30), clock))
                .warn("cannot sample {}: {}", source, message);
    }

    /** Failures since start, all sources. */
    public long total() {
        return total.get();
    }
}
