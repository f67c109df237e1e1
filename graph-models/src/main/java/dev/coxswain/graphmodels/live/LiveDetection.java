package dev.coxswain.graphmodels.live;

import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.EpisodeHistory;
import dev.coxswain.core.detection.EpisodeSink;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobAssessment;
import dev.coxswain.graphmodels.detect.OnlineStragglerDetector;
import dev.coxswain.graphmodels.detect.StragglerDetector;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.SnapshotLoop;
import dev.coxswain.snapshot.SnapshotSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The straggler detector running beside a collector. The collector's apply thread only hands each snapshot over
 * (the latest replaces one not yet taken, and the skip is counted), so detection never holds the collector back;
 * this stage's own thread converts each job of the snapshot to the detector's input ({@link SnapshotWindows}),
 * runs the detector per job, turns the results into episodes ({@link EpisodeTracker}), sends their events to the
 * sink (the detections topic) and publishes the board to the hub (the dashboard). A job that leaves the snapshot
 * is forgotten: its open episodes end if it had ended, else they go with it to the collector that took it over
 * (which reads them back from the topic). With {@code detector.record} set, the detector's input is also written to
 * a steps CSV ({@link InputRecorder}).
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. The detector, the tracker and the sample history
 * are owned by the stage's thread. A job whose window cannot be used is logged (once per distinct problem) and
 * counted, and does not stop the others. Meters: {@code coxswain.detector.*}, removed on close.
 */
public final class LiveDetection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveDetection.class);
    /** The points of each worker always converted: enough for the detector to see who lags (its stale window). */
    private static final int TAIL_SAMPLES = 8;
    /** An update event goes out when the slowdown moved by this much since the last event. */
    private static final double SLOWDOWN_STEP = 0.05;

    private final DetectorChoice choice;
    private final DetectionHub hub;
    private final EpisodeSink sink;
    private final EpisodeHistory episodeLog;
    private final MeterRegistry registry;
    private final StragglerDetector detector;
    private final SnapshotWindows windows;
    private final EpisodeTracker tracker;
    private final Optional<InputRecorder> recorder;
    private final SampleHistory history = new SampleHistory();
    private final Map<String, Long> lastStep = new HashMap<>();
    /** The jobs of the last snapshot: a job not among them is new here, and its open episodes are read back. */
    private Set<String> known = Set.of();
    /** The jobs of the last snapshot that had said they ended ({@link JobView#ended()}). */
    private Set<String> ended = Set.of();
    private final Map<String, String> lastProblem = new HashMap<>();
    private final SnapshotLoop loop;
    private boolean closed;
    private final AtomicInteger openEpisodes = new AtomicInteger();
    /**
     * The most stragglers labelled one by one on /metrics: a platform team alerts per job and worker, and a bound
     * keeps a bad day on a large cluster from flooding Prometheus with series.
     */
    static final int MAX_SERIES = 200;
    private final MultiGauge stragglers;
    private final Counter processed;
    private final Counter superseded;
    private final Counter skippedPoints;
    private final Counter failedJobs;
    private final Map<EpisodeEvent.Kind, Counter> events = new EnumMap<>(EpisodeEvent.Kind.class);
    private final Timer updateTime;
    private final List<Meter> meters = new ArrayList<>();
    private long boardGeneration;

    /**
     * @param episodeLog where the open episodes of a job that comes here are read back from: another collector may
     *                   have announced them and died
     */
    public LiveDetection(LiveDetectorSettings settings, DetectorChoice choice, SnapshotSource snapshots,
                         DetectionHub hub, EpisodeSink sink, EpisodeHistory episodeLog, MeterRegistry registry) {
        this.choice = Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(snapshots, "snapshots");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.episodeLog = Objects.requireNonNull(episodeLog, "episodeLog");
        this.registry = Objects.requireNonNull(registry, "registry");
        DetectorConfig config = settings.decisionDelay().isPresent()
                ? choice.config().withDecisionDelay(settings.decisionDelay().getAsInt()) : choice.config();
        this.detector = new OnlineStragglerDetector(config, choice.attributor());
        this.windows = new SnapshotWindows(settings.telemetryWait(), TAIL_SAMPLES, settings.warmupSteps());
        this.tracker = new EpisodeTracker(settings.recentEpisodes(), SLOWDOWN_STEP, settings.episodeHold());
        this.recorder = settings.record().map(LiveDetection::recorder);
        processed = counter("coxswain.detector.snapshots", "Snapshots the detector processed", "snapshots");
        superseded = counter("coxswain.detector.snapshots.skipped",
                "Snapshots replaced by a newer one before the detector took them (it fell behind)", "snapshots");
        skippedPoints = counter("coxswain.detector.points.skipped",
                "Step points left out of the detector's input (own time not positive, or steps went back)",
                "points");
        failedJobs = counter("coxswain.detector.job.errors", "Job updates the detector could not make", "errors");
        for (EpisodeEvent.Kind k : EpisodeEvent.Kind.values()) {
            Counter c = Counter.builder("coxswain.detector.episode.events").tag("event", k.label())
                    .description("Straggler episode events sent").baseUnit("events").register(registry);
            events.put(k, c);
            meters.add(c);
        }
        updateTime = Timer.builder("coxswain.detector.update").description("Time to run the detector on a snapshot")
                .register(registry);
        meters.add(updateTime);
        meters.add(Gauge.builder("coxswain.detector.stragglers", openEpisodes, AtomicInteger::get)
                .description("Open straggler episodes").baseUnit("workers").register(registry));
        stragglers = MultiGauge.builder("coxswain.detector.straggler")
                .description("Slowdown of each ongoing straggler, by job_id, worker and cause (the " + MAX_SERIES
                        + " slowest; coxswain_detector_stragglers_workers counts all)").register(registry);
        this.loop = new SnapshotLoop("coxswain-detector", snapshots, snapshot -> {
            updateTime.record(() -> process(snapshot));
            processed.increment();
        }, superseded::increment);
    }

    private static InputRecorder recorder(Path file) {
        try {
            return new InputRecorder(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the detector's input to " + file + " ("
                    + LiveDetectorSettings.RECORD + "): " + e.getMessage(), e);
        }
    }

    private Counter counter(String name, String description, String unit) {
        Counter c = Counter.builder(name).description(description).baseUnit(unit).register(registry);
        meters.add(c);
        return c;
    }

    /** The empty board this stage starts from: what the hub should hold before the first snapshot. */
    public static StragglerBoard initialBoard(DetectorChoice choice) {
        return new StragglerBoard(0, Instant.EPOCH, choice.description(), List.of(), List.of());
    }

    /** Subscribes to the snapshots and starts the stage's thread. */
    public void start() {
        loop.start();
        log.info("straggler detector running beside the collector ({})", choice.description());
    }

    /** Called on the collector's thread: keeps only the latest snapshot and wakes the stage. */
    void handOver(ClusterSnapshot snapshot) {
        loop.handOver(snapshot);
    }

    /** Processes the pending snapshot, waiting up to {@code maxWait} for one. */
    void runOnce(Duration maxWait) throws InterruptedException {
        loop.runOnce(maxWait);
    }

    /** Runs the detector on every job of the snapshot, sends the events and publishes the board if it changed. */
    void process(ClusterSnapshot snapshot) {
        history.record(snapshot);
        takeOver(snapshot);
        List<EpisodeEvent> out = new ArrayList<>();
        for (JobView job : snapshot.jobs().values()) {
            out.addAll(update(snapshot, job));
        }
        Set<String> gone = new HashSet<>(lastStep.keySet());
        gone.addAll(tracker.jobsWithOpenEpisodes());
        gone.removeAll(snapshot.jobs().keySet());
        for (String jobId : gone) {
            detector.forget(jobId);
            lastStep.remove(jobId);
            lastProblem.remove(jobId);
            if (ended.contains(jobId)) {
                out.addAll(tracker.jobGone(jobId, snapshot.at()));
            } else {
                int open = tracker.leave(jobId);
                if (open > 0) {
                    log.info("job {} left this collector without ending (its partition moved); its {} open"
                            + " episode(s) go on with the next owner", jobId, open);
                }
            }
        }
        ended = snapshot.jobs().values().stream().filter(JobView::ended).map(JobView::jobId)
                .collect(Collectors.toUnmodifiableSet());
        recorder.ifPresent(InputRecorder::flush);
        for (EpisodeEvent e : out) {
            sink.publish(e);
            events.get(e.kind()).increment();
            log.info("straggler episode {} {}: worker {} of job {}, cause {}, slowdown {}", e.episode().id(),
                    e.kind().label(), e.episode().workerId(), e.episode().jobId(), e.episode().cause(),
                    String.format(Locale.ROOT, "%.2f", e.episode().slowdown()));
        }
        if (tracker.changed()) {
            StragglerBoard board = tracker.board(++boardGeneration, snapshot.at(), choice.description());
            openEpisodes.set(board.open().size());
            stragglers.register(board.open().stream()
                    .sorted(java.util.Comparator.comparingDouble(StragglerEpisode::slowdown).reversed())
                    .limit(MAX_SERIES)
                    .map(e -> MultiGauge.Row.of(Tags.of("job_id", e.jobId(), "worker", e.workerId(), "cause",
                            e.cause()), e.slowdown())).toList(), true);
            hub.publish(board);
        }
    }

    /** Continues the episodes that the detections topic holds open for the jobs new to this detector. */
    private void takeOver(ClusterSnapshot snapshot) {
        Set<String> arrived = new HashSet<>(snapshot.jobs().keySet());
        arrived.removeAll(known);
        known = Set.copyOf(snapshot.jobs().keySet());
        if (arrived.isEmpty()) {
            return;
        }
        List<StragglerEpisode> open;
        try {
            open = episodeLog.open(arrived);
        } catch (RuntimeException e) {
            log.warn("cannot read the open episodes of {} new jobs back; their stragglers start afresh: {}",
                    arrived.size(), e.toString());
            return;
        }
        for (StragglerEpisode e : open) {
            tracker.adopt(e, snapshot.at());
            log.info("straggler episode {} taken over: worker {} of job {} (announced {})", e.id(), e.workerId(),
                    e.jobId(), e.startedAt());
        }
    }

    private List<EpisodeEvent> update(ClusterSnapshot snapshot, JobView job) {
        MDC.put("job", job.jobId());
        try {
            long last = lastStep.getOrDefault(job.jobId(), Long.MIN_VALUE);
            SnapshotWindows.JobInput input = windows.convert(snapshot, job, history, last);
            skippedPoints.increment(input.skippedPoints());
            recorder.ifPresent(r -> r.record(input.window()));
            JobAssessment a = detector.update(input.window());
            if (a.step() >= 0) {
                lastStep.put(job.jobId(), a.step());
            }
            lastProblem.remove(job.jobId());
            List<EpisodeEvent> events = new ArrayList<>(tracker.observe(a, input.context(), snapshot.at()));
            events.addAll(tracker.mitigations(job.jobId(), job.events(),
                    SnapshotWindows.lightened(job), snapshot.at()));
            return events;
        } catch (RuntimeException e) {
            failedJobs.increment();
            if (!String.valueOf(e.getMessage()).equals(lastProblem.put(job.jobId(), String.valueOf(e.getMessage())))) {
                log.warn("straggler detector skipped job {} in snapshot {}: {}", job.jobId(), snapshot.generation(),
                        e.toString());
            }
            return List.of();
        } finally {
            MDC.remove("job");
        }
    }

    /** Stops listening and the stage's thread; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.close();
        meters.forEach(registry::remove);
        stragglers.register(List.of(), true);
        recorder.ifPresent(r -> {
            try {
                r.close();
            } catch (IOException e) {
                log.warn("could not close the detector's recording", e);
            }
        });
    }
}
