package dev.coxswain.trainer.inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A schedule of fault injections, read from a scenario file or the command line. Immutable.
 *
 * <p>The slowdown a worker suffers at a moment is the product of the factors of every slowdown (and every periodic
 * slowdown in its slow part) in force; its input stall the sum of the stalls in force; its link shape is the largest added latency and the smallest bandwidth cap
 * in force.
 */
public record InjectionPlan(List<Injection> injections) {

    public InjectionPlan {
        injections = List.copyOf(injections);
    }

    public static InjectionPlan none() {
        return new InjectionPlan(List.of());
    }

    public InjectionPlan plus(InjectionPlan other) {
        List<Injection> all = new ArrayList<>(injections);
        all.addAll(other.injections);
        return new InjectionPlan(all);
    }

    public boolean isEmpty() {
        return injections.isEmpty();
    }

    /** Workers named by any injection. */
    public Set<String> workers() {
        return injections.stream().map(Injection::worker).collect(Collectors.toSet());
    }

    /** Workers whose link to the parameter server is shaped at some point, so must go through a proxy. */
    public Set<String> linkShapedWorkers() {
        return injections.stream()
                .filter(i -> i instanceof Injection.LinkLatency || i instanceof Injection.LinkBandwidth)
                .map(Injection::worker).collect(Collectors.toSet());
    }

    /**
     * The compute slowdown factor of {@code worker} at {@code sinceStart} (1 when none).
     *
     * @param onStartNode whether the worker still runs on the node it started on: a slowdown of its device
     *                    ({@code on=device}) holds only there
     */
    public double slowdown(String worker, boolean onStartNode, Duration sinceStart) {
        double factor = 1;
        for (Injection i : injections) {
            if (!i.worker().equals(worker)) {
                continue;
            }
            if (i instanceof Injection.Slowdown s && s.activeAt(sinceStart) && (onStartNode || !s.onDevice())) {
                factor *= s.factor();
            } else if (i instanceof Injection.PeriodicSlowdown p && p.slowAt(sinceStart)) {
                factor *= p.factor();
            }
        }
        return factor;
    }

    /** How long each step of {@code worker} waits for its batch at {@code sinceStart}, in ms (0 when not stalled). */
    public double inputStallMs(String worker, Duration sinceStart) {
        double ms = 0;
        for (Injection i : injections) {
            if (i instanceof Injection.InputStall s && s.worker().equals(worker) && s.activeAt(sinceStart)) {
                ms += s.stall().toNanos() / 1e6;
            }
        }
        return ms;
    }

    /** The link shape of {@code worker} at {@code sinceStart}. */
    public LinkShape link(String worker, Duration sinceStart) {
        LinkShape shape = LinkShape.UNSHAPED;
        for (Injection i : injections) {
            if (!i.worker().equals(worker) || !i.activeAt(sinceStart)) {
                continue;
            }
            if (i instanceof Injection.LinkLatency l && l.latency().compareTo(shape.latency()) > 0) {
                shape = new LinkShape(l.latency(), shape.bytesPerSec());
            } else if (i instanceof Injection.LinkBandwidth b
                    && (shape.bytesPerSec() == 0 || b.bytesPerSec() < shape.bytesPerSec())) {
                shape = new LinkShape(shape.latency(), b.bytesPerSec());
            }
        }
        return shape;
    }
}
