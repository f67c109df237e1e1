package dev.coxswain.whatif.engine;

import dev.coxswain.core.net.MaxMinFairShare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coflows in flight on the cluster's links and their max-min fair rates. Rates are recomputed whenever a coflow
 * starts or ends; between changes every coflow moves at a constant rate. Keeps the bytes each link carried, for
 * host samples. Owned by the simulation thread. Cost of a change: {@code O(R * total route length)} for the max-min
 * share, R the number of bottleneck levels.
 */
final class FlowNetwork {

    /** A coflow in flight. */
    static final class Coflow {
        final int id;
        final Phase phase;
        final int job;
        final int worker;
        final double startedAt;
        double remainingBytes;
        /** When its last byte arrived, NaN while bytes remain: its latency runs from then, once. */
        double bytesDoneAt = Double.NaN;
        double rate;
        int bottleneckLink;
        /** The share that set its rate, and its index there; null while no link bounds it. */
        private MaxMinFairShare share;
        private int shareIndex;
        long version;

        /**
         * Every link that bounds it at its current rate ({@link MaxMinFairShare#bottlenecks}); worked out when asked,
         * not at every rate change.
         */
        int[] boundBy() {
            return share == null ? new int[0] : share.bottlenecks(shareIndex);
        }

        Coflow(int id, Phase phase, int job, int worker, double startedAt) {
            this.id = id;
            this.startedAt = startedAt;
            this.phase = phase;
            this.job = job;
            this.worker = worker;
            this.remainingBytes = phase.bytesPerHop();
            if (remainingBytes <= 0) {
                bytesDoneAt = startedAt;
            }
        }
    }

    private final double[] capacity;
    private final double[] carriedBytes;
    private final Map<Integer, Coflow> active = new LinkedHashMap<>();
    private double lastUpdate;
    private int nextId;
    private long recomputes;

    FlowNetwork(double[] capacity) {
        this.capacity = capacity.clone();
        this.carriedBytes = new double[capacity.length];
    }

    Coflow start(Phase phase, int job, int worker, double now) {
        advance(now);
        Coflow c = new Coflow(nextId++, phase, job, worker, now);
        active.put(c.id, c);
        recompute();
        return c;
    }

    Coflow get(int id) {
        return active.get(id);
    }

    void finish(int id, double now) {
        advance(now);
        active.remove(id);
        recompute();
    }

    Iterable<Coflow> active() {
        return active.values();
    }

    /**
     * When {@code c} will be done at its current rate: its remaining bytes, then its latency, paid once however
     * often rates change meanwhile.
     */
    double completion(Coflow c, double now) {
        double bytesDone = c.remainingBytes > 0 ? now + c.remainingBytes / c.rate
                : Double.isNaN(c.bytesDoneAt) ? now : c.bytesDoneAt;
        return Math.max(now, bytesDone + c.phase.latencySec());
    }

    private void advance(double now) {
        double dt = now - lastUpdate;
        if (dt > 0) {
            for (Coflow c : active.values()) {
                double moved = Math.min(c.remainingBytes, c.rate * dt);
                if (c.remainingBytes > 0 && moved >= c.remainingBytes * (1 - 1e-9)) {
                    c.bytesDoneAt = lastUpdate + c.remainingBytes / c.rate;
                    moved = c.remainingBytes;
                }
                c.remainingBytes -= moved;
                for (int l : c.phase.routeRef()) {
                    carriedBytes[l] += moved;
                }
            }
        }
        lastUpdate = now;
    }

    private void recompute() {
        recomputes++;
        List<Coflow> moving = new ArrayList<>();
        for (Coflow c : active.values()) {
            c.version++;
            if (c.remainingBytes > 0 && c.phase.routeRef().length > 0) {
                moving.add(c);
            } else if (c.remainingBytes > 0) {
                c.rate = c.phase.capBytesPerSec() < Double.POSITIVE_INFINITY ? c.phase.capBytesPerSec() : 1e18;
                c.bottleneckLink = -1;
                c.share = null;
            }
        }
        if (moving.isEmpty()) {
            return;
        }
        int[][] routes = new int[moving.size()][];
        double[] caps = new double[moving.size()];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = moving.get(i).phase.routeRef();
            caps[i] = moving.get(i).phase.capBytesPerSec();
        }
        MaxMinFairShare share = new MaxMinFairShare(capacity, routes, caps);
        for (int i = 0; i < routes.length; i++) {
            moving.get(i).rate = Math.max(share.rate(i), 1e-9);
            moving.get(i).bottleneckLink = share.bottleneck(i);
            moving.get(i).share = share;
            moving.get(i).shareIndex = i;
        }
    }

    double carriedBytes(int link) {
        return carriedBytes[link];
    }

    /** Brings the carried-byte counters up to {@code now} without changing rates. */
    void settle(double now) {
        advance(now);
    }

    long recomputes() {
        return recomputes;
    }
}
