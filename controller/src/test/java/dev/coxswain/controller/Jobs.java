package dev.coxswain.controller;

import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.snapshot.StepPoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A synchronous job on emulated devices for controller tests: each worker computes its batch at its own speed
 * (samples/s), and every step lasts as long as the slowest worker's compute plus a fixed overhead, as under BSP.
 */
public final class Jobs {
    public static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final double OVERHEAD_MS = 10;
    private double overheadMs = OVERHEAD_MS;

    private final String id;
    private final Map<String, Double> speed = new LinkedHashMap<>();
    private final Map<String, Integer> batch = new LinkedHashMap<>();
    private final Map<String, List<StepPoint>> points = new LinkedHashMap<>();
    private final List<JobEvent> events = new ArrayList<>();
    private Optional<JobMembership> membership = Optional.empty();
    private long step;
    private Instant now = T0;

    public Jobs(String id, int workers, int batchEach, double samplesPerSec) {
        this.id = id;
        for (int i = 0; i < workers; i++) {
            speed.put("w" + i, samplesPerSec);
            batch.put("w" + i, batchEach);
            points.put("w" + i, new ArrayList<>());
        }
    }

    public Jobs speed(String worker, double samplesPerSec) {
        speed.put(worker, samplesPerSec);
        return this;
    }

    /** The part of each step that is not compute (communication, synchronisation), 10 ms unless set. */
    public Jobs overhead(double ms) {
        overheadMs = ms;
        return this;
    }

    /** Places worker {@code i} on {@code nodes[i]} (a ring all-reduce job's membership). */
    public Jobs onNodes(String... nodes) {
        List<JobMembership.Member> members = new ArrayList<>();
        int i = 0;
        for (String w : speed.keySet()) {
            members.add(new JobMembership.Member(w, nodes[i++], -1, JobMembership.Role.WORKER));
        }
        membership = Optional.of(new JobMembership(id, now, JobMembership.CommPattern.RING_ALLREDUCE, 0, members));
        return this;
    }

    /** Moves {@code worker} to {@code node} in the job's membership. */
    public Jobs move(String worker, String node) {
        JobMembership m = membership.orElseThrow();
        membership = Optional.of(new JobMembership(id, now, m.pattern(), 0, m.members().stream()
                .map(x -> x.workerId().equals(worker) ? new JobMembership.Member(worker, node, -1, x.role()) : x)
                .toList()));
        return this;
    }

    public String id() {
        return id;
    }

    public Jobs batch(String worker, int b) {
        batch.put(worker, b);
        return this;
    }

    public int batchOf(String worker) {
        return batch.get(worker);
    }

    public Jobs event(Optional<String> worker, String kind, Map<String, String> attributes) {
        events.add(new JobEvent(id, worker, now, kind, attributes));
        return this;
    }

    /** Runs {@code n} synchronous steps. */
    public Jobs run(int n) {
        for (int k = 0; k < n; k++) {
            double slowest = 0;
            for (String w : speed.keySet()) {
                slowest = Math.max(slowest, 1000.0 * batch.get(w) / speed.get(w));
            }
            double stepMs = slowest + overheadMs;
            now = now.plusNanos((long) (stepMs * 1e6));
            for (String w : speed.keySet()) {
                double compute = 1000.0 * batch.get(w) / speed.get(w);
                points.get(w).add(new StepPoint(step, now, stepMs, compute, 5, stepMs - compute - overheadMs,
                        batch.get(w)));
            }
            step++;
        }
        return this;
    }

    public Instant now() {
        return now;
    }

    public Jobs advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    public long step() {
        return step;
    }

    public double stepTimeMs() {
        return points.values().iterator().next().getLast().stepTimeMs();
    }

    public JobView view() {
        Map<String, List<StepPoint>> copy = new LinkedHashMap<>();
        points.forEach((w, p) -> copy.put(w, List.copyOf(p.subList(Math.max(0, p.size() - 100), p.size()))));
        return new JobView(id, membership, copy, Double.NaN, List.of(), events);
    }

    public ClusterSnapshot snapshot(long generation) {
        ClusterSnapshot empty = SnapshotHub.empty();
        return new ClusterSnapshot(generation, now, empty.graph(), Map.of(), Map.of(), Map.of(), Map.of(id, view()));
    }

    /** An open episode of the detector for {@code worker}, announced at {@code startedAt}. */
    public StragglerEpisode episode(String worker, String cause, double slowdown, Instant startedAt) {
        return new StragglerEpisode(id, worker, Optional.empty(), -1, cause, "", slowdown, 0.9, 1, 20,
                Optional.empty(), startedAt, 20, startedAt, Optional.empty());
    }
}
