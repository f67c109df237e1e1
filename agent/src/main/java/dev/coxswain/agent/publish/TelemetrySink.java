package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.transport.TelemetryPublisher;

import java.util.function.Consumer;

/**
 * Where the agent's records go: Kafka through {@link TelemetryPublisher} in production, an in-memory fake in
 * tests.
 *
 * <p>Contract: {@link #send} is called from the agent's one sender thread. It may block for a bounded time (the
 * Kafka producer blocks up to {@code max.block.ms} while it has no metadata) and must then call {@code done}
 * exactly once, on any thread, with the outcome. It must not throw; a failure is an outcome.
 */
public interface TelemetrySink {

    void send(Telemetry record, Consumer<SendOutcome> done);

    /** Blocks until records handed over so far are delivered or failed; used at shutdown. */
    default void flush() {
    }

    /** A sink that sends through {@code publisher}; closing the publisher stays with its owner. */
    static TelemetrySink kafka(TelemetryPublisher publisher) {
        return new KafkaSink(publisher);
    }
}
