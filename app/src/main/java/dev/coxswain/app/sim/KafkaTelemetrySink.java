package dev.coxswain.app.sim;

import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.Topics;
import dev.coxswain.whatif.sink.SimOutput;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the simulator's telemetry to Kafka through the transport's {@link TelemetryPublisher}, on the same topics
 * and keys as real agents. Topics are created if missing. Send failures are counted; {@link #close} flushes and
 * fails with the first error when any record was lost.
 */
public final class KafkaTelemetrySink implements SimOutput {
    private final TelemetryPublisher publisher;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private long count;

    public KafkaTelemetrySink(String bootstrapServers) {
        this(KafkaSettings.of(bootstrapServers));
    }

    public KafkaTelemetrySink(KafkaSettings settings) {
        Topics.ensure(settings);
        this.publisher = new TelemetryPublisher(settings, "coxswain-sim");
    }

    @Override
    public void accept(Telemetry record) {
        publisher.send(record, (meta, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, e);
            }
        });
        count++;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public void close() {
        publisher.flush();
        publisher.close();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + count + " records were not sent to Kafka",
                    firstError.get());
        }
    }
}
