package dev.coxswain.trainer.inject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays a {@link InjectionPlan} against a running job from the moment training starts: records each injection's start
 * and end as job events (periodic slowdowns once per slow window), reshapes proxied links when a link fault starts or
 * ends, and crashes workers. Compute slowdowns need no action here: the coordinator reads
 * {@link InjectionPlan#slowdown} for every grant, and the worker slows itself.
 */
public final class InjectionRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InjectionRunner.class);

    private final InjectionPlan scenario;
    private final InjectionTarget target;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coxswain-injector");
        t.setDaemon(true);
        return t;
    });
    private volatile long startNanos;

    public InjectionRunner(InjectionPlan scenario, InjectionTarget target) {
        this.scenario = scenario;
        this.target = target;
    }

    /** Time since training started, as the scenario counts it. */
    public Duration sinceStart() {
        return startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Starts the clock of the scenario now. */
    public void start() {
        startNanos = System.nanoTime();
        for (Injection injection : scenario.injections()) {
            switch (injection) {
                case Injection.PeriodicSlowdown p -> schedule(p.at(), () -> window(p, 0));
                case Injection.Crash c -> schedule(c.at(), () -> {
                    target.record(c.worker(), "injection.start", c.attributes());
                    target.crash(c.worker(), c.restartAfter());
                });
                default -> {
                    schedule(injection.at(), () -> begin(injection));
                    injection.duration().ifPresent(d -> schedule(injection.at().plus(d), () -> end(injection)));
                }
            }
        }
    }

    private void begin(Injection injection) {
        LOG.info("injecting {} into {}: {}", injection.kind(), injection.worker(), injection.attributes());
        target.record(injection.worker(), "injection.start", injection.attributes());
        reshape(injection);
    }

    private void end(Injection injection) {
        LOG.info("ending {} on {}", injection.kind(), injection.worker());
        target.record(injection.worker(), "injection.end", injection.attributes());
        reshape(injection);
    }

    private void reshape(Injection injection) {
        if (injection instanceof Injection.LinkLatency || injection instanceof Injection.LinkBandwidth) {
            target.shapeLink(injection.worker(), scenario.link(injection.worker(), sinceStart()));
        }
    }

    /** One slow window of a periodic slowdown; schedules its end and the next window. */
    private void window(Injection.PeriodicSlowdown p, long k) {
        Duration windowStart = p.at().plus(p.period().multipliedBy(k));
        if (p.duration().map(d -> windowStart.compareTo(p.at().plus(d)) >= 0).orElse(false)) {
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>(p.attributes());
        attributes.put("window", Long.toString(k));
        target.record(p.worker(), "injection.start", attributes);
        schedule(windowStart.plus(p.slowFor()), () -> target.record(p.worker(), "injection.end", attributes));
        schedule(windowStart.plus(p.period()), () -> window(p, k + 1));
    }

    private void schedule(Duration sinceStart, Runnable action) {
        long delay = sinceStart.toNanos() - (System.nanoTime() - startNanos);
        timer.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("injection action failed", e);
            }
        }, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
