package dev.coxswain.trainer.inject;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One fault injected into one worker, scheduled relative to the start of training. Every injection is recorded as a
 * job event ({@code injection.start} / {@code injection.end}, attributes from {@link #attributes()}), the ground
 * truth against which detectors are judged.
 */
public sealed interface Injection {

    /** The worker it hits. */
    String worker();

    /** When it starts, after training started. */
    Duration at();

    /** How long it lasts; empty for the rest of the job (a crash is instantaneous). */
    Optional<Duration> duration();

    /** The name used in scenario files and in the event's {@code fault} attribute. */
    String kind();

    /** What the event records about it, besides {@code fault}. */
    Map<String, String> parameters();

    /** The event attributes: {@code fault} and the parameters. */
    default Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("fault", kind());
        a.putAll(parameters());
        duration().ifPresent(d -> a.put("duration_ms", Long.toString(d.toMillis())));
        return a;
    }

    /** Whether it is in force {@code sinceStart} after training started. */
    default boolean activeAt(Duration sinceStart) {
        return sinceStart.compareTo(at()) >= 0 && duration().map(d -> sinceStart.compareTo(at().plus(d)) < 0)
                .orElse(true);
    }

    private static void check(String worker, Duration at, Optional<Duration> duration) {
        if (worker == null || worker.isBlank() || at == null || at.isNegative() || duration == null
                || duration.map(d -> d.isNegative() || d.isZero()).orElse(false)) {
            throw new IllegalArgumentException("injection: worker '" + worker + "', at " + at + ", for " + duration);
        }
    }

    /** A delay a fault adds (to each step, to each message): positive and at most a minute. */
    private static void checkDelay(String what, Duration delay) {
        if (delay == null || delay.isNegative() || delay.isZero() || delay.toSeconds() > 60) {
            throw new IllegalArgumentException(what + " " + delay + " must be in (0, 60 s]");
        }
    }

    /**
     * The worker computes {@code factor} times slower. With {@code onDevice}, the slowness is its device's (a
     * throttling GPU, a busy host), not its own: it holds only while the worker runs on the node it started on, and
     * a worker moved to another node runs at full speed.
     */
    record Slowdown(String worker, Duration at, Optional<Duration> duration, double factor, boolean onDevice)
            implements Injection {
        public Slowdown(String worker, Duration at, Optional<Duration> duration, double factor) {
            this(worker, at, duration, factor, false);
        }

        public Slowdown {
            check(worker, at, duration);
            if (!(factor > 1) || factor > 1000) {
                throw new IllegalArgumentException("slowdown factor " + factor + " must be in (1, 1000]");
            }
        }

        public String kind() {
            return "slowdown";
        }

        public Map<String, String> parameters() {
            return onDevice ? Map.of("factor", Double.toString(factor), "on", "device")
                    : Map.of("factor", Double.toString(factor));
        }
    }

    /**
     * Thermal-like: in every {@code period}, the first {@code slowFor} runs {@code factor} times slower.
     */
    record PeriodicSlowdown(String worker, Duration at, Optional<Duration> duration, double factor, Duration period,
                            Duration slowFor) implements Injection {
        public PeriodicSlowdown {
            check(worker, at, duration);
            if (!(factor > 1) || factor > 1000 || period == null || slowFor == null || slowFor.isZero()
                    || slowFor.isNegative() || slowFor.compareTo(period) >= 0) {
                throw new IllegalArgumentException("periodic slowdown: factor " + factor + " must be in (1, 1000] and "
                        + "0 < slow " + slowFor + " < period " + period);
            }
        }

        public String kind() {
            return "periodic";
        }

        public Map<String, String> parameters() {
            return Map.of("factor", Double.toString(factor), "period_ms", Long.toString(period.toMillis()),
                    "slow_ms", Long.toString(slowFor.toMillis()));
        }

        /** Whether {@code sinceStart} falls in a slow part of a period. */
        public boolean slowAt(Duration sinceStart) {
            if (!activeAt(sinceStart)) {
                return false;
            }
            long into = sinceStart.minus(at()).toNanos() % period.toNanos();
            return into < slowFor.toNanos();
        }
    }

    /**
     * The worker's input pipeline stalls: each step waits {@code stall} for its batch before computing, as when
     * the host's data loader cannot keep up (a busy CPU, slow storage). The worker reports the stall as input wait.
     */
    record InputStall(String worker, Duration at, Optional<Duration> duration, Duration stall) implements Injection {
        public InputStall {
            check(worker, at, duration);
            checkDelay("input stall", stall);
        }

        public String kind() {
            return "input";
        }

        public Map<String, String> parameters() {
            return Map.of("stall_ms", Long.toString(stall.toMillis()));
        }
    }

    /** Adds {@code latency} each way on the worker's link to the parameter server. */
    record LinkLatency(String worker, Duration at, Optional<Duration> duration, Duration latency)
            implements Injection {
        public LinkLatency {
            check(worker, at, duration);
            checkDelay("link latency", latency);
        }

        public String kind() {
            return "latency";
        }

        public Map<String, String> parameters() {
            return Map.of("latency_ms", Long.toString(latency.toMillis()));
        }
    }

    /** Caps the worker's link to the parameter server at {@code bytesPerSec} each way. */
    record LinkBandwidth(String worker, Duration at, Optional<Duration> duration, long bytesPerSec)
            implements Injection {
        public LinkBandwidth {
            check(worker, at, duration);
            if (bytesPerSec < 1_000) {
                throw new IllegalArgumentException("bandwidth cap " + bytesPerSec + " B/s is below 1 kB/s");
            }
        }

        public String kind() {
            return "bandwidth";
        }

        public Map<String, String> parameters() {
            return Map.of("bytes_per_sec", Long.toString(bytesPerSec));
        }
    }

    /** Kills the worker's process (SIGKILL) and starts it again {@code restartAfter} later. */
    record Crash(String worker, Duration at, Duration restartAfter) implements Injection {
        public Crash {
            check(worker, at, Optional.empty());
            if (restartAfter == null || restartAfter.isNegative()) {
                throw new IllegalArgumentException("crash restart delay " + restartAfter + " is negative");
            }
        }

        public Optional<Duration> duration() {
            return Optional.empty();
        }

        public String kind() {
            return "crash";
        }

        public Map<String, String> parameters() {
            return Map.of("restart_after_ms", Long.toString(restartAfter.toMillis()));
        }

        @Override
        public boolean activeAt(Duration sinceStart) {
            return false;
        }
    }
}
