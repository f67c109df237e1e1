package dev.coxswain.dashboards.view;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Jobs of a snapshot as JSON: a summary line per job and the detail of one job. Pure: safe on any thread. */
public final class JobJson {

    private JobJson() {
    }

    /** The jobs of a snapshot in natural order of their ids. */
    public static List<JobView> sorted(Collection<JobView> jobs) {
        return jobs.stream().sorted((x, y) -> NaturalOrder.INSTANCE.compare(x.jobId(), y.jobId())).toList();
    }

    /** {@code id, pattern, workerCount, meanStepMs, lastStep, flowCount}. */
    public static JsonObject summary(JobView job) {
        long lastStep = job.workers().values().stream()
                .filter(points -> !points.isEmpty())
                .mapToLong(points -> points.getLast().step())
                .max().orElse(-1);
        return new JsonObject()
                .put("id", job.jobId())
                .put("pattern", job.membership().map(m -> m.pattern().name()).orElse(null))
                .put("workerCount", workerCount(job))
                .put("meanStepMs", GraphJson.finite(job.meanStepMs()))
                .put("lastStep", lastStep < 0 ? null : lastStep)
                .put("flowCount", job.flows().size());
    }

    /**
     * The summary plus gradient size, every member (parameter servers included) and every process that reported
     * steps, each with its placement, role and recent steps, the flows with their routes, and the job's most recent
     * events (knob changes applied or refused, injections, moves), oldest first.
     */
    public static JsonObject detail(JobView job) {
        JsonObject out = summary(job)
                .put("gradientBytes", job.membership().map(JobMembership::gradientBytes).orElse(null));
        JsonArray workers = new JsonArray();
        TreeSet<String> ids = workerIds(job);
        job.membership().ifPresent(m -> m.members().forEach(member -> ids.add(member.workerId())));
        ids.forEach(id -> workers.add(worker(job, id)));
        JsonArray flows = new JsonArray();
        job.flows().forEach(f -> flows.add(flow(f)));
        JsonArray events = new JsonArray();
        job.events().forEach(e -> events.add(new JsonObject().put("kind", e.kind())
                .put("worker", e.workerId().orElse(null)).put("timestamp", e.timestamp().toString())
                .put("attributes", new JsonObject(new java.util.LinkedHashMap<>(e.attributes())))));
        return out.put("workers", workers).put("flows", flows).put("events", events);
    }

    /** Workers named by the membership or by step reports, in natural order. */
    public static TreeSet<String> workerIds(JobView job) {
        TreeSet<String> ids = new TreeSet<>(NaturalOrder.INSTANCE);
        ids.addAll(job.workers().keySet());
        job.membership().ifPresent(m -> m.members().stream()
                .filter(member -> member.role() == JobMembership.Role.WORKER)
                .forEach(member -> ids.add(member.workerId())));
        return ids;
    }

    private static int workerCount(JobView job) {
        return workerIds(job).size();
    }

    private static JsonObject worker(JobView job, String workerId) {
        List<StepPoint> points = job.workers().getOrDefault(workerId, List.of());
        Optional<JobMembership.Member> member = job.membership()
                .flatMap(m -> m.members().stream().filter(x -> x.workerId().equals(workerId)).findFirst());
        JsonArray steps = new JsonArray();
        points.forEach(p -> steps.add(new JsonObject()
                .put("step", p.step())
                .put("timestamp", p.timestamp().toString())
                .put("stepTimeMs", GraphJson.finite(p.stepTimeMs()))
                .put("computeMs", GraphJson.finite(p.computeMs()))
                .put("commMs", GraphJson.finite(p.commMs()))
                .put("waitMs", GraphJson.finite(p.waitMs()))
                .put("batchSize", p.batchSize())));
        return new JsonObject()
                .put("id", workerId)
                .put("nodeId", member.map(JobMembership.Member::nodeId).orElse(null))
                .put("gpuIndex", member.map(JobMembership.Member::gpuIndex).orElse(null))
                .put("role", member.map(m -> m.role().name()).orElse(null))
                .put("meanStepMs", GraphJson.finite(points.stream().mapToDouble(StepPoint::stepTimeMs).average()
                        .orElse(Double.NaN)))
                .put("lastStepMs", points.isEmpty() ? null : GraphJson.finite(points.getLast().stepTimeMs()))
                .put("points", steps);
    }

    private static JsonObject flow(Flow flow) {
        return new JsonObject()
                .put("from", flow.fromWorker())
                .put("to", flow.toWorker())
                .put("bytesPerStep", GraphJson.finite(flow.bytesPerStep()))
                .put("bytesPerSec", GraphJson.finite(flow.bytesPerSec()))
                .put("route", new JsonArray(flow.route().stream().map(Link::id).toList()));
    }
}
