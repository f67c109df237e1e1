package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;

import java.time.Clock;
import java.util.Collection;

/**
 * The agent's way out to Kafka: a bounded {@link PublishBuffer} drained by one {@link Sender} thread. Producers
 * call {@link #offer}/{@link #offerAll}, which never wait for Kafka. Thread-safe.
 */
public final class BufferedPublisher implements AutoCloseable {
    private final PublishBuffer buffer;
    private final Sender sender;
    private final Thread thread;

    /**
     * @param journal where accepted records are kept until delivered ({@link Journal#none()}, or a {@link Spool});
     *                what it read back from the previous run goes out first; closed with this publisher
     */
    public BufferedPublisher(int capacity, TelemetrySink sink, Journal journal, Sender.Options options, Clock clock) {
        this.buffer = new PublishBuffer(capacity, journal, clock);
        buffer.requeue(journal.takeRecovered());
        this.sender = new Sender(buffer, sink, options, clock);
        this.thread = Thread.ofPlatform().name("coxswain-agent-sender").daemon(true).unstarted(sender);
    }

    public void start() {
        thread.start();
    }

    /** Queues a record for sending; returns how many old records were dropped to make room (0 or 1). */
    public int offer(Telemetry record) {
        return buffer.offer(record);
    }

    /** Queues records in order; returns how many old records were dropped to make room. */
    public int offerAll(Collection<? extends Telemetry> records) {
        return records.isEmpty() ? 0 : buffer.offerAll(records);
    }

    /** Records waiting to be sent, not counting those handed to Kafka and not yet acknowledged. */
    public int buffered() {
        return buffer.size();
    }

    public int capacity() {
        return buffer.capacity();
    }

    public Journal journal() {
        return buffer.journal();
    }

    /** Records dropped since start: buffer overflow, refused by Kafka, abandoned at shutdown. */
    public long dropped() {
        return buffer.dropped();
    }

    /** Records Kafka acknowledged since start. */
    public long sent() {
        return sender.sent();
    }

    public boolean kafkaUp() {
        return sender.kafkaUp();
    }

    /**
     * Stops the sender after it has delivered what it can within its shutdown grace; what is left stays in a
     * durable journal, or is counted as dropped. Closes the journal, not the sink.
     */
    @Override
    public void close() {
        sender.shutdown();
        if (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        buffer.journal().close();
    }
}
