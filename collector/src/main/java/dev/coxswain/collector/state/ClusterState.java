package dev.coxswain.collector.state;

import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.graph.FlowPlanner;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.core.wire.StepFields;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collector's live model of the cluster: the physical graph, each job's membership and per-worker windows, the
 * latest sample of every GPU and host. Applying a record is O(1) except topology and membership changes, which
 * rebuild the graph or the job's routes. {@link #snapshot()} copies out an immutable {@link ClusterSnapshot}.
 *
 * <p>Not thread-safe: one collector thread owns it.
 */
public final class ClusterState {
    /** Flow rates use the mean over this many recent steps of each worker. */
    private static final int RATE_STEPS = 20;

    private final ClusterGraph graph;
    private final int windowSteps;
    private final Clock clock;
    private final Duration retention;
    private final Map<String, JobState> jobs = new HashMap<>();
    private final Map<Vertex.Gpu, GpuSample> gpus = new HashMap<>();
    private final Map<String, HostSample> hosts = new HashMap<>();
    private long generation;

    private static final class JobState {
        JobMembership membership;
        final Map<String, WorkerWindow> workers = new HashMap<>();
        List<FlowPlanner.Transfer> transfers = List.of();
        Map<FlowPlanner.Transfer, List<Link>> routes = Map.of();
        long routedAtGraphGeneration = -1;
        final ArrayDeque<JobEvent> events = new ArrayDeque<>();
        /** When the job said it ended ({@code job.end}); null while it runs. */
        Instant endedAt;
    }

    /** @param retention how long a job that sent {@code job.end} stays in the snapshots */
    public ClusterState(ClusterGraph graph, int windowSteps, Clock clock, Duration retention) {
        if (windowSteps < 1) {
            throw new IllegalArgumentException("windowSteps must be at least 1, got " + windowSteps);
        }
        this.graph = graph;
        this.windowSteps = windowSteps;
        this.clock = clock;
        this.retention = retention;
    }

    public void apply(Telemetry record) {
        switch (record) {
            case StepReport s -> applyStep(s);
            case GpuSample g -> gpus.put(new Vertex.Gpu(g.nodeId(), g.index()), g);
            case HostSample h -> hosts.put(h.nodeId(), h);
            case TopologyReport t -> graph.apply(t);
            case JobMembership m -> applyMembership(m);
            case JobEvent e -> applyEvent(e);
        }
    }

    private JobState job(String jobId) {
        JobState job = jobs.get(jobId);
        if (job == null) {
            job = new JobState();
            jobs.put(jobId, job);
        }
        return job;
    }

    private void applyEvent(JobEvent e) {
        JobState job = job(e.jobId());
        if (e.kind().equals(JobEvent.JOB_END) && e.workerId().isEmpty()) {
            job.endedAt = e.timestamp();
        } else if (e.kind().equals(JobEvent.JOB_START) && job.endedAt != null && e.timestamp().isAfter(job.endedAt)) {
            job.endedAt = null; // the job runs again under the same id
        }
        ArrayDeque<JobEvent> events = job.events;
        if (events.size() == JobView.MAX_EVENTS) {
            events.removeFirst();
        }
        events.addLast(e);
    }

    private void applyMembership(JobMembership m) {
        JobState job = job(m.jobId());
        job.membership = m;
        job.routedAtGraphGeneration = -1;
    }

    private void applyStep(StepReport s) {
        window(s.jobId(), s.workerId()).add(s.step(), s.timestamp().getEpochSecond(), s.timestamp().getNano(),
                s.stepTimeMs(), s.computeMs(), s.commMs(), s.waitMs(), s.batchSize(), s.inputMs());
    }

    /**
     * Applies a step report read without making the record (the collector's ingest path): as {@link #apply} does a
     * {@link StepReport} with the same fields. Runs for nearly every record: plain gets, no capturing lambdas,
     * nothing allocated once the worker is known.
     */
    public void applyStep(StepFields s) {
        window(s.jobId(), s.workerId()).add(s.step(), s.epochSecond(), s.nano(), s.stepTimeMs(), s.computeMs(),
                s.commMs(), s.waitMs(), s.batchSize(), s.inputMs());
    }

    private WorkerWindow window(String jobId, String workerId) {
        Map<String, WorkerWindow> workers = job(jobId).workers;
        WorkerWindow window = workers.get(workerId);
        if (window == null) {
            window = new WorkerWindow(windowSteps);
            workers.put(workerId, window);
        }
        return window;
    }

    /** Drops a job's windows and membership (its partition moved to another collector). */
    public void forgetJob(String jobId) {
        jobs.remove(jobId);
    }

    /** Drops a node's samples; its topology stays, since every collector reads the whole topology topic. */
    public void forgetNodeSamples(String nodeId) {
        hosts.remove(nodeId);
        gpus.keySet().removeIf(g -> g.nodeId().equals(nodeId));
    }

    /**
     * Drops every job and node sample whose Kafka key satisfies {@code revoked}; the job membership stays with
     * its job (it comes from the topology topic and is dropped with the job's windows).
     */
    public void forgetKeys(java.util.function.Predicate<String> revoked) {
        jobs.keySet().removeIf(revoked);
        hosts.keySet().removeIf(revoked);
        gpus.keySet().removeIf(g -> revoked.test(g.nodeId()));
    }

    public int jobCount() {
        return jobs.size();
    }

    public ClusterGraph graph() {
        return graph;
    }

    /**
     * Copies the state out; increases the generation by one. A job whose {@code job.end} is older than the retention
     * is dropped first: gone from the views, the detector closes its episodes and the controller forgets it.
     */
    public ClusterSnapshot snapshot() {
        Instant now = clock.instant();
        jobs.values().removeIf(j -> j.endedAt != null && !j.endedAt.plus(retention).isAfter(now));
        Map<String, JobView> views = new HashMap<>();
        Map<Link, Double> load = new HashMap<>();
        jobs.forEach((id, job) -> views.put(id, view(id, job, load)));
        return new ClusterSnapshot(++generation, now, graph.view(), load, gpus, hosts, views);
    }

    private JobView view(String jobId, JobState job, Map<Link, Double> load) {
        Map<String, List<StepPoint>> workers = new HashMap<>();
        double sum = 0;
        int n = 0;
        for (Map.Entry<String, WorkerWindow> w : job.workers.entrySet()) {
            workers.put(w.getKey(), w.getValue().points());
            double m = w.getValue().meanStepMs(RATE_STEPS);
            if (!Double.isNaN(m)) {
                sum += m;
                n++;
            }
        }
        double meanStepMs = n == 0 ? Double.NaN : sum / n;
        List<Flow> flows = flows(jobId, job, meanStepMs);
        for (Flow f : flows) {
            for (Link l : f.route()) {
                load.merge(l, f.bytesPerSec(), Double::sum);
            }
        }
        return new JobView(jobId, Optional.ofNullable(job.membership), workers, meanStepMs, flows,
                List.copyOf(job.events));
    }

    private List<Flow> flows(String jobId, JobState job, double meanStepMs) {
        if (job.membership == null) {
            return List.of();
        }
        if (job.routedAtGraphGeneration != graph.generation()) {
            reroute(job);
        }
        double stepsPerSec = Double.isNaN(meanStepMs) || meanStepMs <= 0 ? 0 : 1000.0 / meanStepMs;
        List<Flow> flows = new ArrayList<>(job.routes.size());
        job.routes.forEach((t, route) -> flows.add(new Flow(jobId, t.from().workerId(), t.to().workerId(),
                t.bytesPerStep(), t.bytesPerStep() * stepsPerSec, route)));
        return flows;
    }

    private void reroute(JobState job) {
        job.transfers = FlowPlanner.plan(job.membership);
        Map<FlowPlanner.Transfer, List<Link>> routes = new HashMap<>();
        for (FlowPlanner.Transfer t : job.transfers) {
            Optional<Vertex> from = graph.placement(t.from().nodeId(), t.from().gpuIndex());
            Optional<Vertex> to = graph.placement(t.to().nodeId(), t.to().gpuIndex());
            if (from.isPresent() && to.isPresent()) {
                graph.route(from.get(), to.get()).ifPresent(r -> routes.put(t, r));
            }
        }
        job.routes = routes;
        job.routedAtGraphGeneration = graph.generation();
    }
}
