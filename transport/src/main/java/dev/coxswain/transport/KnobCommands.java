package dev.coxswain.transport;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.KnobSignature;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An agent's intake of knob changes from the knobs topic: every agent reads every partition (no consumer group: each
 * must see each action), from the end of the topic at start, and hands each action that verifies to the handler,
 * which applies those for the jobs on its node. A record that is unsigned, badly signed, malformed, not an action or
 * a dry run is refused: counted by reason, logged (the first few, then every hundredth), and sent to the dead-letter
 * topic; nothing stops the intake.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}; the handler runs on this class's thread.
 */
public final class KnobCommands implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KnobCommands.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int LOG_FIRST = 5;

    private final KafkaSettings settings;
    private final KnobSignature signature;
    private final DeadLetters deadLetters;
    private final java.util.function.Consumer<Action> handler;
    private final String clientId;
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public KnobCommands(KafkaSettings settings, KnobSignature signature, DeadLetters deadLetters, String clientId,
                        java.util.function.Consumer<Action> handler) {
        this.settings = settings;
        this.signature = signature;
        this.deadLetters = deadLetters;
        this.clientId = clientId;
        this.handler = handler;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "coxswain-knob-commands");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the intake reads from the end of every partition: actions sent after that reach it. */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        String topic = settings.topics().knobs();
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(new ClientConfigs(settings).consumer(null, clientId))) {
            consumer = c;
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(partitions);
            c.seekToEnd(partitions);
            partitions.forEach(c::position);
            assigned.countDown();
            log.info("reading knob changes from {} ({} partitions)", topic, partitions.size());
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(POLL)) {
                    handle(r);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                log.error("knob intake woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            log.error("knob intake stopped on an unexpected error; knob changes from {} no longer reach this node",
                    topic, e);
        }
    }

    /** Verifies and decodes one record and hands it on, or refuses it. Runs on the intake's thread. */
    void handle(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(KnobSignature.HEADER);
        if (h == null) {
            refuse(r, "unsigned", "no " + KnobSignature.HEADER + " header");
            return;
        }
        byte[] value = r.value() == null ? new byte[0] : r.value();
        if (!signature.verify(value, new String(h.value(), StandardCharsets.US_ASCII))) {
            refuse(r, "bad_signature", "the signature does not match the record with this node's secret");
            return;
        }
        switch (ControlCodec.decode(value)) {
            case ControlCodec.Decoding.Rejected x -> refuse(r, "malformed", x.detail());
            case ControlCodec.Decoding.Decoded(Action a) when a.dryRun() ->
                    refuse(r, "dry_run", "action " + a.id() + " is a dry run");
            case ControlCodec.Decoding.Decoded(Action a) -> {
                accepted.incrementAndGet();
                handler.accept(a);
            }
            case ControlCodec.Decoding.Decoded d -> refuse(r, "not_an_action", "a " + d.record().getClass()
                    .getSimpleName() + " on the knobs topic");
        }
    }

    private void refuse(ConsumerRecord<String, byte[]> r, String reason, String detail) {
        long n = refused.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        if (n <= LOG_FIRST || n % 100 == 0) {
            log.warn("knob change refused ({}, {} so far) from {}/{}@{}: {}", reason, n, r.topic(), r.partition(),
                    r.offset(), detail);
        }
        deadLetters.send(r, "knobs." + reason, detail);
    }

    /** Records refused so far, by reason ({@code unsigned}, {@code bad_signature}, {@code malformed}...). */
    public Map<String, Long> refused() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Actions handed to the handler. */
    public long accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        running.set(false);
        Optional.ofNullable(consumer).ifPresent(Consumer::wakeup);
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
