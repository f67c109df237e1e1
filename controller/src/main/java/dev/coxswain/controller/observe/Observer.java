package dev.coxswain.controller.observe;

import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a job of a collector snapshot and the detector's open episodes into a {@link JobObservation}: each worker
 * over its last {@code window} steps, and each worker's speed against its peers' in the same steps, leaving out the
 * job's first {@code warmupSteps} (JIT compilation, the first parameter pull: compute that is not comparable across
 * workers). Pure and stateless; O(workers x window + events).
 */
public final class Observer {
    /** Reports of the gradient noise scale whose median is taken. */
    static final int NOISE_REPORTS = 5;
    /** The {@code job.start} attribute with which a job asks for a controller mode. */
    public static final String MODE_LABEL = "controller";
    private static final Pattern SYNC = Pattern.compile("(bsp|asp|ssp)(?:\\((\\d+)\\))?");

    private final int window;
    private final long warmupSteps;

    public Observer(int window, long warmupSteps) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be 0 or more, got " + warmupSteps);
        }
        this.window = window;
        this.warmupSteps = warmupSteps;
    }

    /**
     * The observation, or empty while some worker has no step yet.
     *
     * @param free the cluster's free slots ({@link FreeSlots})
     */
    public Optional<JobObservation> observe(JobView job, List<StragglerEpisode> open, List<Slot> free, Instant at) {
        Map<String, String> nodes = new HashMap<>();
        job.membership().ifPresent(m -> m.members().forEach(member -> nodes.put(member.workerId(),
                member.nodeId())));
        Map<String, WorkerObservation> workers = new HashMap<>();
        Map<String, Double> peaks = peakRelativeSpeeds(job.workers());
        long lastStep = -1;
        Instant lastAt = Instant.EPOCH;
        for (Map.Entry<String, List<StepPoint>> e : job.workers().entrySet()) {
            List<StepPoint> points = e.getValue();
            if (points.isEmpty()) {
                return Optional.empty();
            }
            List<StepPoint> recent = points.subList(Math.max(0, points.size() - window), points.size());
            Double peak = peaks.get(e.getKey());
            workers.put(e.getKey(), worker(e.getKey(), recent, Optional.ofNullable(nodes.get(e.getKey())),
                    peak == null ? OptionalDouble.empty() : OptionalDouble.of(peak)));
            StepPoint last = points.getLast();
            lastStep = Math.max(lastStep, last.step());
            lastAt = last.timestamp().isAfter(lastAt) ? last.timestamp() : lastAt;
        }
        if (workers.isEmpty()) {
            return Optional.empty();
        }
        double stepTimeMs = Median.of(workers.values().stream().mapToDouble(WorkerObservation::stepTimeMs).toArray());
        List<StragglerEpisode> episodes = open.stream().filter(ep -> ep.jobId().equals(job.jobId())).toList();
        return Optional.of(new JobObservation(job.jobId(), at, workers, stepTimeMs, lastStep, lastAt,
                sync(job.events()), episodes, noiseScale(job.events()), requestedMode(job.events()), free));
    }

    /**
     * The mode a job asks for with the {@code controller} attribute of its {@code job.start} event (its label):
     * {@code off}, {@code advise} or {@code act}; anything else is no request.
     */
    static Optional<ControlMode> requestedMode(List<JobEvent> events) {
        Optional<ControlMode> mode = Optional.empty();
        for (JobEvent e : events) {
            String label = e.kind().equals(JobEvent.JOB_START) ? e.attributes().get(MODE_LABEL) : null;
            if (label != null) {
                try {
                    mode = Optional.of(ControlMode.parse(label));
                } catch (IllegalArgumentException notAMode) {
                    mode = Optional.empty();
                }
            }
        }
        return mode;
    }

    private static WorkerObservation worker(String id, List<StepPoint> recent, Optional<String> node,
                                            OptionalDouble peakRelativeSpeed) {
        double[] speed = new double[recent.size()];
        double[] step = new double[recent.size()];
        double[] own = new double[recent.size()];
        for (int i = 0; i < recent.size(); i++) {
            StepPoint p = recent.get(i);
            own[i] = ownMs(p);
            speed[i] = speed(p);
            step[i] = p.stepTimeMs();
        }
        StepPoint last = recent.getLast();
        return new WorkerObservation(id, last.batchSize(), Median.of(speed), Median.of(step), Median.of(own),
                last.step(), last.timestamp(), node, peakRelativeSpeed);
    }

    /** The worker's own part of a step: the step less its wait for slower peers. */
    private static double ownMs(StepPoint p) {
        return Math.max(1e-3, p.stepTimeMs() - p.waitMs());
    }

    /** Samples per second of compute (of its own part of the step when the job does not report compute time). */
    private static double speed(StepPoint p) {
        return p.batchSize() * 1000.0 / (p.computeMs() > 0 ? p.computeMs() : ownMs(p));
    }

    /**
     * Each worker's highest speed relative to the median of all workers' speeds in the same step, over the last
     * {@code window} steps that every worker reported at or after step {@code warmupSteps}; no entry for any worker
     * while there are fewer such steps.
     */
    private Map<String, Double> peakRelativeSpeeds(Map<String, List<StepPoint>> byWorker) {
        Map<Long, Map<String, Double>> bySteps = new HashMap<>();
        for (Map.Entry<String, List<StepPoint>> e : byWorker.entrySet()) {
            List<StepPoint> points = e.getValue();
            for (StepPoint p : points.subList(Math.max(0, points.size() - 2 * window), points.size())) {
                if (p.step() >= warmupSteps) {
                    bySteps.computeIfAbsent(p.step(), s -> new HashMap<>()).put(e.getKey(), speed(p));
                }
            }
        }
        List<Map<String, Double>> common = bySteps.entrySet().stream()
                .filter(s -> s.getValue().size() == byWorker.size())
                .sorted(Map.Entry.<Long, Map<String, Double>>comparingByKey().reversed())
                .limit(window).map(Map.Entry::getValue).toList();
        if (common.size() < window || byWorker.size() < 2) {
            return Map.of();
        }
        Map<String, Double> peak = new HashMap<>();
        for (Map<String, Double> speeds : common) {
            double median = Median.of(speeds.values());
            speeds.forEach((w, v) -> peak.merge(w, v / median, Math::max));
        }
        return peak;
    }

    /**
     * The job's synchronisation from its events: {@code job.start}'s {@code sync} ({@code bsp}, {@code ssp(3)},
     * {@code asp}), then each {@code knob.applied} of {@code sync_mode} or {@code staleness}.
     */
    static SyncState sync(List<JobEvent> events) {
        Optional<String> mode = Optional.empty();
        OptionalInt staleness = OptionalInt.empty();
        for (JobEvent e : events) {
            if (e.kind().equals(JobEvent.JOB_START) && e.attributes().containsKey("sync")) {
                Matcher m = SYNC.matcher(e.attributes().get("sync").toLowerCase(Locale.ROOT));
                if (m.matches()) {
                    mode = Optional.of(m.group(1));
                    staleness = m.group(2) != null ? OptionalInt.of(Integer.parseInt(m.group(2)))
                            : OptionalInt.of(0);
                }
            } else if (e.kind().equals("knob.applied")) {
                String value = e.attributes().getOrDefault("value", "");
                switch (e.attributes().getOrDefault("knob", "")) {
                    case "sync_mode" -> mode = Optional.of(value);
                    case "staleness" -> staleness = parseInt(value);
                    default -> { }
                }
            }
        }
        return new SyncState(mode, staleness);
    }

    /**
     * The job's gradient noise scale: the median of its last {@value #NOISE_REPORTS} {@code job.stats} events that
     * have a usable one. A job's estimate moves a lot from one report to the next (73, 13, 71 in three reports of the
     * reference trainer, 10 steps apart); the median keeps one report from swinging the batch.
     */
    static OptionalDouble noiseScale(List<JobEvent> events) {
        List<Double> recent = new ArrayList<>();
        for (JobEvent e : events.reversed()) {
            if (!e.kind().equals("job.stats")) {
                continue;
            }
            try {
                double v = Double.parseDouble(e.attributes().getOrDefault("grad_noise_scale", ""));
                if (Double.isFinite(v) && v >= 0) {
                    recent.add(v);
                }
            } catch (NumberFormatException ignored) {
                // a job that writes something else is read as not reporting it
            }
            if (recent.size() == NOISE_REPORTS) {
                break;
            }
        }
        return recent.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Median.of(recent));
    }

    private static OptionalInt parseInt(String s) {
        try {
            return OptionalInt.of(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The job's median step time over the steps after {@code afterStep}, once every worker has at least
     * {@code minSteps} of them; empty before.
     */
    public static OptionalDouble stepTimeAfter(JobView job, long afterStep, int minSteps) {
        List<Double> times = new ArrayList<>();
        for (List<StepPoint> points : job.workers().values()) {
            int n = 0;
            for (int i = points.size() - 1; i >= 0 && points.get(i).step() > afterStep; i--) {
                times.add(points.get(i).stepTimeMs());
                n++;
            }
            if (n < minSteps) {
                return OptionalDouble.empty();
            }
        }
        return times.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Median.of(times));
    }
}
