package dev.coxswain.agent.sample;

import dev.coxswain.core.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * A source of node telemetry, asked once per sampling interval by the {@link SampleLoop}.
 *
 * <p>Contract: called from the loop's one thread, so implementations may keep the previous counters to compute
 * rates without locking. Bad tool output or a missing source is not an exception: the sampler counts it
 * ({@link SampleErrors}), logs it at a limited rate and returns what it could read, possibly nothing.
 */
public interface Sampler {

    /** A short name for logs and the {@code source} tag of error counts, e.g. {@code host} or {@code nvidia-smi}. */
    String name();

    /** Samples now; {@code now} is the sample's timestamp. */
    List<? extends Telemetry> sample(Instant now);
}
