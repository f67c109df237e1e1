package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.transport.TelemetryPublisher;
import org.apache.kafka.common.errors.RetriableException;

import java.util.function.Consumer;

/** A {@link TelemetrySink} over the transport module's {@link TelemetryPublisher}. */
final class KafkaSink implements TelemetrySink {
    private final TelemetryPublisher publisher;

    KafkaSink(TelemetryPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void send(Telemetry record, Consumer<SendOutcome> done) {
        try {
            publisher.send(record, (metadata, error) -> done.accept(classify(error)));
        } catch (RuntimeException e) {
            done.accept(classify(e));
        }
    }

    @Override
    public void flush() {
        publisher.flush();
    }

    /**
     * Kafka marks errors that may pass (timeouts, unreachable brokers, leader changes) as retriable; anything else
     * (a record too large, an authorisation failure, a closed producer) will not pass by trying again.
     */
    static SendOutcome classify(Exception error) {
        if (error == null) {
            return SendOutcome.SENT;
        }
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (error instanceof RetriableException || error.getCause() instanceof RetriableException) {
            return new SendOutcome.Retry(reason);
        }
        return new SendOutcome.Failed(reason);
    }
}
