package dev.coxswain.agent.publish;

import dev.coxswain.agent.RateLimitedLog;
import dev.coxswain.core.telemetry.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that drains the {@link PublishBuffer} into a {@link TelemetrySink}.
 *
 * <p>While Kafka answers, up to {@code maxInFlight} records are outstanding at once. When a delivery fails for a
 * reason that may pass, the record goes back to the front of the buffer and the sender switches to probing: one
 * record at a time, after a back-off that doubles from {@code minBackoff} to {@code maxBackoff}, until one is
 * delivered. Meanwhile the buffer absorbs new records and drops the oldest when full, so nobody upstream ever
 * waits for Kafka.
 *
 * <p>Threading: {@link #run()} owns the back-off state; completions arrive on the sink's threads and are handed
 * over through a concurrent queue, so only counters are shared.
 */
public final class Sender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Sender.class);
    /** How often the journal's progress is made durable: what a crash can make the agent send twice. */
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(1);

    /**
     * @param maxInFlight records outstanding at once while Kafka answers
     * @param stallAfter  with records outstanding and no completion for this long, Kafka is reported down
     * @param shutdownGrace how long {@link #run()} keeps delivering what is buffered after {@link #shutdown()}
     */
    public record Options(int maxInFlight, Duration minBackoff, Duration maxBackoff, Duration stallAfter,
                          Duration shutdownGrace) {
        public Options {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
            }
            if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff, got " + minBackoff
                        + " and " + maxBackoff);
            }
        }

        public static Options defaults() {
            return new Options(2_000, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(5),
                    Duration.ofSeconds(5));
        }
    }

    private record Completion(Numbered queued, SendOutcome outcome) {
    }

    private final PublishBuffer buffer;
    private final TelemetrySink sink;
    private final Options options;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final RateLimitedLog retryLog;
    private final RateLimitedLog failLog;
    private volatile boolean kafkaUp;
    private volatile long lastProgressMs;
    // Owned by the sender thread.
    private Duration backoff;
    private long nextProbeMs;
    private long nextCheckpointMs;

    public Sender(PublishBuffer buffer, TelemetrySink sink, Options options, Clock clock) {
        this.buffer = buffer;
        this.sink = sink;
        this.options = options;
        this.clock = clock;
        this.backoff = options.minBackoff();
        this.retryLog = new RateLimitedLog(log, Duration.ofSeconds(30), clock);
        this.failLog = new RateLimitedLog(log, Duration.ofSeconds(10), clock);
        this.lastProgressMs = clock.millis();
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                runOnce(Duration.ofSeconds(1));
            }
            finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonRemaining("sender interrupted");
        }
    }

    /**
     * One round: apply completed deliveries, send what the state allows, then wait up to {@code maxWait} for more
     * work.
     */
    void runOnce(Duration maxWait) throws InterruptedException {
        applyCompletions();
        if (clock.millis() >= nextCheckpointMs) {
            buffer.journal().checkpoint();
            nextCheckpointMs = clock.millis() + CHECKPOINT_EVERY.toMillis();
        }
        if (kafkaUp) {
            int room = options.maxInFlight() - inFlight.get();
            if (room > 0) {
                sendAll(buffer.poll(room));
            }
        } else if (inFlight.get() == 0 && clock.millis() >= nextProbeMs) {
            sendAll(buffer.poll(1));
        }
        applyCompletions();
        if (!completions.isEmpty()) {
            return;
        }
        long untilProbe = nextProbeMs - clock.millis();
        if (kafkaUp) {
            buffer.await(maxWait, inFlight.get() < options.maxInFlight());
        } else if (inFlight.get() > 0) {
            buffer.await(maxWait, false); // a probe is out: wait for its outcome
        } else if (untilProbe > 0) {
            buffer.await(min(maxWait, Duration.ofMillis(untilProbe)), false);
        } else {
            buffer.await(maxWait, true);
        }
    }

    private void sendAll(List<Numbered> records) {
        for (Numbered queued : records) {
            if (inFlight.getAndIncrement() == 0) {
                lastProgressMs = clock.millis();
            }
            sink.send(queued.record(), outcome -> {
                completions.add(new Completion(queued, outcome));
                buffer.wakeUp();
            });
        }
    }

    private void applyCompletions() {
        List<Numbered> retry = new ArrayList<>();
        String retryReason = null;
        Completion c;
        while ((c = completions.poll()) != null) {
            inFlight.decrementAndGet();
            lastProgressMs = clock.millis();
            switch (c.outcome()) {
                case SendOutcome.Sent s -> {
                    sent.incrementAndGet();
                    buffer.journal().done(c.queued().seq());
                    if (!kafkaUp) {
                        log.info("Kafka reachable; sending {} buffered record(s)", buffer.size());
                    }
                    kafkaUp = true;
                    backoff = options.minBackoff();
                }
                case SendOutcome.Retry r -> {
                    retry.add(c.queued());
                    retryReason = r.reason();
                }
                case SendOutcome.Failed f -> {
                    buffer.journal().done(c.queued().seq());
                    buffer.countDropped(1, "refused by Kafka");
                    failLog.warn("Kafka refused a {} record for good: {}",
                            c.queued().record().getClass().getSimpleName(), f.reason());
                }
            }
        }
        if (!retry.isEmpty()) {
            buffer.requeue(retry); // in the order they were sent, ahead of newer records
            markDown(retryReason);
        }
    }

    private void markDown(String reason) {
        if (kafkaUp) {
            log.warn("Kafka unreachable ({}); buffering up to {} records, retrying", reason, buffer.capacity());
            kafkaUp = false;
        } else {
            retryLog.warn("Kafka unreachable ({}); {} record(s) buffered, retrying", reason, buffer.size());
        }
        nextProbeMs = clock.millis() + backoff.toMillis();
        backoff = min(options.maxBackoff(), backoff.multipliedBy(2));
    }

    private void finish() throws InterruptedException {
        long deadline = clock.millis() + options.shutdownGrace().toMillis();
        while (clock.millis() < deadline && (inFlight.get() > 0 || (kafkaUp && buffer.size() > 0))) {
            runOnce(Duration.ofMillis(50));
        }
        if (kafkaUp && inFlight.get() > 0) {
            sink.flush();
        }
        applyCompletions();
        abandonRemaining("agent shutting down");
    }

    /** Records not delivered at the end: kept by a durable journal for the next start, else lost and counted. */
    private void abandonRemaining(String reason) {
        int left = buffer.clear().size() + inFlight.get();
        Journal journal = buffer.journal();
        journal.checkpoint();
        if (left > 0 && journal.durable()) {
            log.info("{}: {} record(s) not delivered, left in the spool for the next start", reason, left);
        } else if (left > 0) {
            log.warn("{}: {} record(s) not delivered", reason, left);
            buffer.countDropped(left, reason);
        }
    }

    /** Asks {@link #run()} to stop: it delivers what it can within the shutdown grace, then returns. */
    public void shutdown() {
        running.set(false);
        buffer.wakeUp();
    }

    /** Whether the last delivery succeeded and none has been outstanding longer than {@code stallAfter}. */
    public boolean kafkaUp() {
        return kafkaUp && (inFlight.get() == 0
                || clock.millis() - lastProgressMs < options.stallAfter().toMillis());
    }

    /** Records delivered since start. */
    public long sent() {
        return sent.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
