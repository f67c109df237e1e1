package dev.coxswain.dashboards.push;

import dev.coxswain.dashboards.view.GraphJson;
import dev.coxswain.dashboards.view.JobJson;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the messages of the live stream. Each message carries the whole graph (it is small next to the steps) and
 * every job's summary; step points are the bulk, so a {@link #next} message carries only the points each worker
 * made since the previous {@code next}, while a {@link #full} message carries the chart window. A browser that
 * starts from a full message built from {@link #lastPushed()} and applies every later {@code next} has every point.
 *
 * <p>Points are compact arrays {@code [epochMs, step, stepTimeMs, computeMs, commMs, waitMs]}. Not thread-safe:
 * owned by the dashboard's event loop.
 */
public final class StreamUpdates {
    private final Duration chartWindow;
    private final Clock clock;
    /** Job id, NUL, worker id: the last point sent for that worker. */
    private final Map<String, StepPoint> lastSent = new HashMap<>();
    private ClusterSnapshot lastPushed;

    public StreamUpdates(Duration chartWindow, Clock clock) {
        this.chartWindow = Objects.requireNonNull(chartWindow, "chartWindow");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The snapshot of the last {@link #next} message, or null when there was none since {@link #reset}. */
    public ClusterSnapshot lastPushed() {
        return lastPushed;
    }

    /** Forgets what was sent (when no browser is listening), so that the next {@link #next} is complete. */
    public void reset() {
        lastSent.clear();
        lastPushed = null;
    }

    /** A message with every point of the chart window: what a browser that just connected needs. Pure. */
    public JsonObject full(ClusterSnapshot snapshot) {
        Instant from = reference(snapshot).minus(chartWindow);
        return message("full", snapshot, (job, worker, points) -> inWindow(points, from));
    }

    /** A message with the points made since the previous call; remembers what it sent. */
    public JsonObject next(ClusterSnapshot snapshot) {
        Instant from = reference(snapshot).minus(chartWindow);
        Set<String> present = new HashSet<>();
        JsonObject out = message("update", snapshot, (job, worker, points) -> {
            String key = job + "\0" + worker;
            present.add(key);
            List<StepPoint> fresh = after(inWindow(points, from), lastSent.get(key));
            if (!fresh.isEmpty()) {
                lastSent.put(key, fresh.getLast());
            }
            return fresh;
        });
        lastSent.keySet().retainAll(present);
        lastPushed = snapshot;
        return out;
    }

    private interface PointSelector {
        List<StepPoint> select(String jobId, String workerId, List<StepPoint> points);
    }

    private JsonObject message(String type, ClusterSnapshot snapshot, PointSelector selector) {
        JsonArray jobs = new JsonArray();
        for (JobView job : JobJson.sorted(snapshot.jobs().values())) {
            JsonObject points = new JsonObject();
            for (String worker : JobJson.workerIds(job)) {
                JsonArray compact = new JsonArray();
                selector.select(job.jobId(), worker, job.workers().getOrDefault(worker, List.of()))
                        .forEach(p -> compact.add(compact(p)));
                points.put(worker, compact);
            }
            jobs.add(JobJson.summary(job).put("points", points));
        }
        return new JsonObject()
                .put("type", type)
                .put("generation", snapshot.generation())
                .put("at", snapshot.at().toEpochMilli())
                .put("dataAt", snapshot.newestData().map(Instant::toEpochMilli).orElse(null))
                .put("serverTime", clock.millis())
                .put("chartWindowMs", chartWindow.toMillis())
                .put("graph", GraphJson.of(snapshot))
                .put("jobs", jobs);
    }

    private static JsonArray compact(StepPoint p) {
        return new JsonArray().add(p.timestamp().toEpochMilli()).add(p.step())
                .add(GraphJson.finite(p.stepTimeMs())).add(GraphJson.finite(p.computeMs()))
                .add(GraphJson.finite(p.commMs())).add(GraphJson.finite(p.waitMs()));
    }

    /** The right edge of the charts: the snapshot's time, or the newest step when clocks run ahead of it. */
    private static Instant reference(ClusterSnapshot snapshot) {
        Instant ref = snapshot.at();
        for (JobView job : snapshot.jobs().values()) {
            for (List<StepPoint> points : job.workers().values()) {
                if (!points.isEmpty() && points.getLast().timestamp().isAfter(ref)) {
                    ref = points.getLast().timestamp();
                }
            }
        }
        return ref;
    }

    private static List<StepPoint> inWindow(List<StepPoint> points, Instant from) {
        return points.stream().filter(p -> !p.timestamp().isBefore(from)).toList();
    }

    /** Points strictly after {@code last} in (timestamp, step) order; all of them when nothing was sent yet. */
    private static List<StepPoint> after(List<StepPoint> points, StepPoint last) {
        if (last == null) {
            return points;
        }
        return points.stream().filter(p -> p.timestamp().isAfter(last.timestamp())
                || (p.timestamp().equals(last.timestamp()) && p.step() > last.step())).toList();
    }
}
