package dev.coxswain.agent.sample;

import dev.coxswain.core.telemetry.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Asks every {@link Sampler} once per interval, on one thread, and hands the records on (to the publish buffer).
 * Ticks are at a fixed rate; a tick that comes too late (a slow tool) is skipped rather than run twice. A sampler
 * that throws is a bug: it is counted and logged, and the loop goes on.
 */
public final class SampleLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SampleLoop.class);

    private final List<Sampler> samplers;
    private final Consumer<List<Telemetry>> out;
    private final Duration interval;
    private final Clock clock;
    private final SampleErrors errors;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Object wakeUp = new Object();

    public SampleLoop(List<Sampler> samplers, Consumer<List<Telemetry>> out, Duration interval, Clock clock,
                      SampleErrors errors) {
        this.samplers = List.copyOf(samplers);
        this.out = out;
        this.interval = interval;
        this.clock = clock;
        this.errors = errors;
    }

    @Override
    public void run() {
        long next = clock.millis();
        while (running.get()) {
            runOnce();
            long now = clock.millis();
            next += interval.toMillis();
            if (next <= now) {
                next = now + interval.toMillis();
            }
            synchronized (wakeUp) {
                long wait;
                while (running.get() && (wait = next - clock.millis()) > 0) {
                    try {
                        wakeUp.wait(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Samples every source once and hands on what they returned. */
    public void runOnce() {
        Instant now = clock.instant();
        List<Telemetry> records = new ArrayList<>();
        for (Sampler sampler : samplers) {
            try {
                records.addAll(sampler.sample(now));
            } catch (RuntimeException e) {
                errors.record(sampler.name(), e.toString());
                log.debug("sampler {} failed", sampler.name(), e);
            }
        }
        if (!records.isEmpty()) {
            out.accept(records);
        }
    }

    public void shutdown() {
        running.set(false);
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }
}
