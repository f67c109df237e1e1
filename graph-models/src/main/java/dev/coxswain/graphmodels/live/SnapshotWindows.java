package dev.coxswain.graphmodels.live;

import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Flow;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns one job of a collector snapshot into the detector's input (see docs/detection.md, "Live use"):
 * <ul>
 *   <li>a worker's own step time is {@code stepTimeMs - waitMs}, {@code waitMs} being the time it waited at the
 *       barrier for slower peers; compute and communication go in as they are, and input wait is the rest of the
 *       step ({@code stepTimeMs - computeMs - commMs - waitMs}: data loading, framework overhead);</li>
 *   <li>a worker given a smaller batch than the job's median (a controller shifted work away from it) is judged by
 *       its speed per sample: its compute time, and so its own step time, is scaled up to the median batch. A slow
 *       worker whose batch was cut stays a straggler until its speed is back, instead of looking recovered while it
 *       is not. A worker with a larger batch than its peers is judged as it is: it does hold the job back;</li>
 *   <li>its GPU sample (SM clock, utilisation, a throttle reason that slows compute) and host sample (CPU) are those
 *       of the step's own time ({@link SampleHistory#describing}); a step waits for the first GPU sample taken
 *       after it, but at most {@code telemetryWait};</li>
 *   <li>its placement (host, NIC, switch) and uplink load come from the graph: the network link its own flows
 *       leave by, else its host's first NIC.</li>
 * </ul>
 * Only the points the detector can still use are converted: those after the job's last processed step, and the
 * last {@code tailSamples} of each worker so that a worker that lags is still seen. A point whose own time is not
 * positive, or that breaks the order of steps (the job restarted from a checkpoint), is left out and counted; the
 * job's warm-up steps (below {@code warmupSteps}) are left out by design.
 *
 * <p>Pure apart from reading the history: safe to call with any snapshot. Cost O(points converted + flows).
 */
final class SnapshotWindows {

    private final Duration telemetryWait;
    private final int tailSamples;
    private final long warmupSteps;

    SnapshotWindows(Duration telemetryWait, int tailSamples, long warmupSteps) {
        this.telemetryWait = Objects.requireNonNull(telemetryWait, "telemetryWait");
        if (telemetryWait.isNegative() || tailSamples < 1) {
            throw new IllegalArgumentException("telemetryWait must not be negative and tailSamples positive, got "
                    + telemetryWait + " and " + tailSamples);
        }
        this.tailSamples = tailSamples;
        this.warmupSteps = warmupSteps;
    }

    /** The detector's input for one job, its context, and how many points were left out. */
    record JobInput(JobWindow window, JobContext context, int skippedPoints) {
    }

    /**
     * @param lastProcessed the last step the detector processed for this job, {@link Long#MIN_VALUE} for none
     */
    JobInput convert(ClusterSnapshot snapshot, JobView job, SampleHistory history, long lastProcessed) {
        Map<String, JobMembership.Member> members = new HashMap<>();
        job.membership().ifPresent(m -> m.members().forEach(x -> members.put(x.workerId(), x)));
        List<WorkerSeries> windows = new ArrayList<>();
        Map<String, JobContext.WorkerFacts> facts = new HashMap<>();
        int skipped = 0;
        List<String> ids = job.workers().keySet().stream().sorted().toList();
        double medianBatch = medianBatch(job);
        for (String workerId : ids) {
            List<StepPoint> points = job.workers().get(workerId);
            Optional<JobMembership.Member> member = Optional.ofNullable(members.get(workerId));
            Optional<Vertex.Gpu> gpu = member.filter(m -> m.gpuIndex() >= 0)
                    .map(m -> new Vertex.Gpu(m.nodeId(), m.gpuIndex()));
            Optional<Link> uplink = member.flatMap(m -> uplink(snapshot, job, workerId, m.nodeId()));
            OptionalDouble linkUtil = uplink.map(l -> OptionalDouble.of(Math.min(100, snapshot.utilization(l))))
                    .orElse(OptionalDouble.empty());
            Worker w = new Worker(snapshot, history, gpu, member.map(JobMembership.Member::nodeId), linkUtil,
                    medianBatch);
            List<WorkerSample> samples = new ArrayList<>();
            skipped += w.convert(usable(points, lastProcessed), samples);
            windows.add(new WorkerSeries(workerId, placement(member, uplink), samples));
            facts.put(workerId, new JobContext.WorkerFacts(member.map(JobMembership.Member::nodeId),
                    member.map(JobMembership.Member::gpuIndex).orElse(-1),
                    points.isEmpty() ? -1 : points.getLast().step(),
                    gpu.map(g -> snapshot.gpus().get(g)), member.map(m -> snapshot.hosts().get(m.nodeId())),
                    linkUtil));
        }
        return new JobInput(new JobWindow(job.jobId(), windows), new JobContext(job.jobId(), facts), skipped);
    }

    /** The median over the job's workers of the batch of their latest step. */
    private static double medianBatch(JobView job) {
        return Median.of(job.workers().values().stream().filter(p -> !p.isEmpty())
                .mapToDouble(p -> p.getLast().batchSize()).toArray());
    }

    /** The workers whose latest step had a smaller batch than the job's median: work was shifted away from them. */
    static Set<String> lightened(JobView job) {
        double median = medianBatch(job);
        return job.workers().entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && e.getValue().getLast().batchSize() < median)
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The points after {@code lastProcessed}, and at least the last {@code tailSamples}; none of the warm-up. */
    private List<StepPoint> usable(List<StepPoint> points, long lastProcessed) {
        int from = firstAbove(points, lastProcessed);
        int warm = firstAbove(points, warmupSteps - 1);
        return points.subList(Math.max(warm, Math.min(from, points.size() - tailSamples)), points.size());
    }

    /** The index of the first of the trailing points whose step is above {@code step}. */
    private static int firstAbove(List<StepPoint> points, long step) {
        int from = points.size();
        while (from > 0 && points.get(from - 1).step() > step) {
            from--;
        }
        return from;
    }

    /** One worker's conversion, with what it needs from the snapshot. */
    private final class Worker {
        private final ClusterSnapshot snapshot;
        private final SampleHistory history;
        private final Optional<Vertex.Gpu> gpu;
        private final Optional<String> node;
        private final OptionalDouble linkUtil;
        private final double medianBatch;

        Worker(ClusterSnapshot snapshot, SampleHistory history, Optional<Vertex.Gpu> gpu, Optional<String> node,
               OptionalDouble linkUtil, double medianBatch) {
            this.medianBatch = medianBatch;
            this.snapshot = snapshot;
            this.history = history;
            this.gpu = gpu;
            this.node = node;
            this.linkUtil = linkUtil;
        }

        /** Adds the samples of {@code points} that are ready to {@code out}; returns how many it left out. */
        int convert(List<StepPoint> points, List<WorkerSample> out) {
            int skipped = 0;
            Optional<Instant> newestGpu = gpu.flatMap(history::newestGpuSample);
            for (StepPoint p : points) {
                if (newestGpu.isPresent() && newestGpu.get().isBefore(p.timestamp())
                        && Duration.between(p.timestamp(), snapshot.at()).compareTo(telemetryWait) < 0) {
                    break; // this step's GPU sample may still come; the steps after it wait with it
                }
                double extraMs = perSampleExtraMs(p);
                double ownMs = p.stepTimeMs() - p.waitMs() + extraMs;
                if (!(ownMs > 0)) {
                    skipped++;
                    continue;
                }
                if (!out.isEmpty() && p.step() <= out.getLast().step()) {
                    skipped += out.size(); // the steps went back: keep what came after
                    out.clear();
                }
                out.add(new WorkerSample(p.step(), ownMs, Optional.of(p.timestamp()), signals(p, extraMs)));
            }
            return skipped;
        }

        /** The compute time a step below the median batch would have taken at the median batch, less its own. */
        private double perSampleExtraMs(StepPoint p) {
            return p.computeMs() > 0 && p.batchSize() < medianBatch
                    ? p.computeMs() * (medianBatch / p.batchSize() - 1) : 0;
        }

        private Signals signals(StepPoint p, double extraMs) {
            Signals s = Signals.none()
                    .with(Signal.COMPUTE_MS, p.computeMs() + extraMs)
                    .with(Signal.COMM_MS, p.commMs())
                    .with(Signal.DATA_MS, p.inputMs())
                    .with(Signal.BATCH_SIZE, p.batchSize());
            Optional<GpuSample> g = gpu.flatMap(v -> history.gpuAt(v, p.timestamp()));
            if (g.isPresent()) {
                GpuSample x = g.get();
                boolean throttled = x.activeThrottleReasons().stream()
                        .anyMatch(GpuSample.ThrottleReason::slowsCompute);
                s = s.with(Signal.THROTTLED, throttled ? 1 : 0);
                if (x.smClockMhz().isPresent()) {
                    s = s.with(Signal.SM_CLOCK_MHZ, x.smClockMhz().getAsDouble());
                }
                if (x.utilizationPct().isPresent()) {
                    s = s.with(Signal.GPU_UTIL_PCT, x.utilizationPct().getAsDouble());
                }
            }
            Optional<HostSample> h = node.flatMap(n -> history.hostAt(n, p.timestamp()));
            if (h.isPresent()) {
                s = s.with(Signal.CPU_UTIL_PCT, h.get().cpuUtilPct());
            }
            if (linkUtil.isPresent()) {
                s = s.with(Signal.LINK_UTIL, linkUtil.getAsDouble());
            }
            return s;
        }
    }

    private static WorkerLocation placement(Optional<JobMembership.Member> member, Optional<Link> uplink) {
        Optional<String> host = member.map(JobMembership.Member::nodeId);
        Optional<String> nic = uplink.flatMap(l -> end(l, Vertex.Nic.class)).map(n -> n.nodeId() + "/" + n.name());
        Optional<String> sw = uplink.flatMap(l -> end(l, Vertex.Switch.class)).map(Vertex.Switch::switchId);
        return new WorkerLocation(host, nic, sw);
    }

    private static <V extends Vertex> Optional<V> end(Link link, Class<V> type) {
        return type.isInstance(link.a()) ? Optional.of(type.cast(link.a()))
                : type.isInstance(link.b()) ? Optional.of(type.cast(link.b())) : Optional.empty();
    }

    /**
     * The worker's network uplink: the NIC-to-switch link its own outgoing flows cross on its node, else the first
     * (by name) NIC of its host with a link to a switch.
     */
    static Optional<Link> uplink(ClusterSnapshot snapshot, JobView job, String workerId, String nodeId) {
        for (Flow f : job.flows()) {
            if (f.fromWorker().equals(workerId)) {
                for (Link l : f.route()) {
                    if (l.type() == Link.LinkType.NETWORK && end(l, Vertex.Nic.class)
                            .filter(n -> n.nodeId().equals(nodeId)).isPresent()) {
                        return Optional.of(l);
                    }
                }
            }
        }
        Vertex.Host host = new Vertex.Host(nodeId);
        if (!snapshot.graph().containsVertex(host)) {
            return Optional.empty();
        }
        return snapshot.graph().edgesOf(host).stream()
                .map(l -> l.a().equals(host) ? l.b() : l.a())
                .filter(Vertex.Nic.class::isInstance).map(Vertex.Nic.class::cast)
                .sorted(Comparator.comparing(Vertex.Nic::name))
                .flatMap(nic -> snapshot.graph().edgesOf(nic).stream()
                        .filter(l -> l.type() == Link.LinkType.NETWORK))
                .findFirst();
    }
}
