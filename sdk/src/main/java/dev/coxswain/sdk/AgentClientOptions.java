package dev.coxswain.sdk;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * How an {@link AgentClient} talks to its agent.
 *
 * @param agentUri       the agent's intake, e.g. {@code http://127.0.0.1:7070}
 * @param requestTimeout the longest a report or knob request may take before it counts as failed
 * @param queueCapacity  reports and events held while the agent is slow or down; beyond it the oldest are dropped
 * @param maxBatch       the most reports sent in one request (the protocol allows 10,000)
 * @param flushInterval  how long a report may wait to be batched with others
 * @param maxBackoff     the longest pause between attempts while the agent is unreachable
 * @param knobWait       how long one knob long-poll may wait at the agent (protocol maximum 60 s)
 * @param clock          the clock for events' timestamps and for rate-limited logging
 */
public record AgentClientOptions(
        URI agentUri,
        Duration requestTimeout,
        int queueCapacity,
        int maxBatch,
        Duration flushInterval,
        Duration maxBackoff,
        Duration knobWait,
        Clock clock) {

    /** The protocol's default intake address. */
    public static final URI DEFAULT_AGENT = URI.create("http://127.0.0.1:7070");

    public AgentClientOptions {
        if (agentUri == null || agentUri.getHost() == null
                || !("http".equals(agentUri.getScheme()) || "https".equals(agentUri.getScheme()))) {
            throw new IllegalArgumentException("agentUri: '" + agentUri + "' is not an http(s) URL with a host");
        }
        positive("requestTimeout", requestTimeout);
        positive("flushInterval", flushInterval);
        positive("maxBackoff", maxBackoff);
        positive("knobWait", knobWait);
        if (knobWait.toMillis() > 60_000) {
            throw new IllegalArgumentException("knobWait: " + knobWait + " is above the protocol's 60 s");
        }
        if (queueCapacity < 1 || maxBatch < 1 || maxBatch > 10_000) {
            throw new IllegalArgumentException("queueCapacity must be >= 1 and maxBatch in [1, 10000], got "
                    + queueCapacity + " and " + maxBatch);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock: missing");
        }
        String path = agentUri.getPath();
        if (path != null && path.endsWith("/")) {
            agentUri = URI.create(agentUri.toString().substring(0, agentUri.toString().length() - 1));
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " is not a positive duration");
        }
    }

    /** Sensible defaults for a training process: 2 s requests, 20k queued, batches of 500 every 200 ms. */
    public static AgentClientOptions defaults(URI agentUri) {
        return new AgentClientOptions(agentUri, Duration.ofSeconds(2), 20_000, 500, Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(25), Clock.systemUTC());
    }

    public AgentClientOptions withFlushInterval(Duration d) {
        return new AgentClientOptions(agentUri, requestTimeout, queueCapacity, maxBatch, d, maxBackoff, knobWait,
                clock);
    }

    public AgentClientOptions withKnobWait(Duration d) {
        return new AgentClientOptions(agentUri, requestTimeout, queueCapacity, maxBatch, flushInterval, maxBackoff, d,
                clock);
    }

    public AgentClientOptions withMaxBackoff(Duration d) {
        return new AgentClientOptions(agentUri, requestTimeout, queueCapacity, maxBatch, flushInterval, d, knobWait,
                clock);
    }
}
