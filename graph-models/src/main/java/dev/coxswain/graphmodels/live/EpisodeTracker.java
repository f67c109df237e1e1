package dev.coxswain.graphmodels.live;

import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.detection.StragglerEpisode.End;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.graphmodels.detect.Detection;
import dev.coxswain.graphmodels.detect.JobAssessment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the detector's per-job assessments into straggler episodes and their events. An episode starts when a worker
 * has been among a job's detections, with the same confirmation step, for at least {@code hold}: the detector
 * confirms in steps, and a job that steps several times a second can have a few steps of a whole second's hiccup on
 * a busy host (a collection pause, a burst of other work), which is no straggler. It is updated, with an event,
 * when its cause changes or its slowdown moves by at least {@code slowdownStep} since the last event (the board
 * always shows the latest values); it ends when the detector processed new steps and the worker is no longer
 * among the detections (recovered, or gone if it did not report the last step), or when its job ended and left the
 * snapshot; a job that left for another collector takes its open episodes along ({@link #leave}), and the next owner
 * continues them ({@link #adopt}). An open episode is marked mitigated when a controller action reached its worker
 * ({@link #mitigations}).
 * A detection whose confirmation step differs from the open episode's is a new episode: the detector saw
 * the worker recover and fall back between two snapshots.
 *
 * <p>Keeps the open episodes and the last {@code recentLimit} ended ones. Not thread-safe: owned by the live
 * detector's thread.
 */
final class EpisodeTracker {

    private final int recentLimit;
    private final double slowdownStep;
    private final Duration hold;
    /** Job id to worker id to a detection not yet held long enough to announce. */
    private final Map<String, Map<String, Pending>> pending = new HashMap<>();
    /** Job id to worker id to its open episode, and the episode as last announced. */
    private final Map<String, Map<String, Open>> open = new HashMap<>();
    private final Deque<StragglerEpisode> recent = new ArrayDeque<>();
    private boolean changed;

    /**
     * @param detectorSince the detector's confirmation step this episode follows
     * @param unconfirmed   for an episode taken over from another detector, when it was taken over, until this
     *                      detector confirms the worker too; empty otherwise
     */
    private record Open(StragglerEpisode now, StragglerEpisode announced, long detectorSince,
                       Optional<Instant> unconfirmed) {
        Open(StragglerEpisode now, StragglerEpisode announced, long detectorSince) {
            this(now, announced, detectorSince, Optional.empty());
        }
    }

    private record Pending(long sinceStep, Instant firstSeen) {
    }

    EpisodeTracker(int recentLimit, double slowdownStep, Duration hold) {
        if (recentLimit < 0 || !(slowdownStep > 0) || hold.isNegative()) {
            throw new IllegalArgumentException("recentLimit and hold must not be negative and slowdownStep positive,"
                    + " got " + recentLimit + ", " + hold + " and " + slowdownStep);
        }
        this.recentLimit = recentLimit;
        this.slowdownStep = slowdownStep;
        this.hold = hold;
    }

    /**
     * Applies one assessment of a job, made from the snapshot taken at {@code at}; returns the events it causes, in
     * order (ends before starts).
     */
    List<EpisodeEvent> observe(JobAssessment assessment, JobContext context, Instant at) {
        if (assessment.stepsProcessed() == 0) {
            return List.of();
        }
        Map<String, Open> jobOpen = open.computeIfAbsent(assessment.jobId(), id -> new LinkedHashMap<>());
        Map<String, Detection> now = new LinkedHashMap<>();
        assessment.detections().forEach(d -> now.put(d.workerId(), d));
        List<EpisodeEvent> events = new ArrayList<>();
        for (Iterator<Map.Entry<String, Open>> it = jobOpen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Open> e = it.next();
            Detection d = now.get(e.getKey());
            Optional<Instant> unconfirmed = e.getValue().unconfirmed();
            boolean ended = unconfirmed.isPresent()
                    ? d == null && Duration.between(unconfirmed.get(), at).compareTo(hold) >= 0
                    : d == null || d.sinceStep() != e.getValue().detectorSince();
            if (ended) {
                EndReason why = d == null && context.worker(e.getKey()).lastStep() < assessment.step()
                        ? EndReason.WORKER_GONE : EndReason.RECOVERED;
                events.add(end(e.getValue().now(), new End(assessment.step(), at, why)));
                it.remove();
            }
        }
        Map<String, Pending> jobPending = pending.computeIfAbsent(assessment.jobId(), id -> new HashMap<>());
        jobPending.keySet().retainAll(now.keySet());
        for (Detection d : now.values()) {
            Open o = jobOpen.get(d.workerId());
            if (o == null && !heldLongEnough(jobPending, d, at)) {
                continue;
            }
            StragglerEpisode latest = episode(d, context, assessment.step(), at,
                    o == null ? Optional.empty() : Optional.of(o.now()));
            if (o == null) {
                events.add(new EpisodeEvent(EpisodeEvent.Kind.START, latest));
                jobOpen.put(d.workerId(), new Open(latest, latest, d.sinceStep()));
            } else if (notable(o.announced(), latest)) {
                events.add(new EpisodeEvent(EpisodeEvent.Kind.UPDATE, latest));
                jobOpen.put(d.workerId(), new Open(latest, latest, d.sinceStep()));
            } else {
                jobOpen.put(d.workerId(), new Open(latest, o.announced(), d.sinceStep()));
            }
            changed = true;
        }
        if (jobOpen.isEmpty()) {
            open.remove(assessment.jobId());
        }
        if (jobPending.isEmpty()) {
            pending.remove(assessment.jobId());
        }
        return events;
    }

    /** Whether {@code d}'s worker has been detected since the same step for {@link #hold}; forgets it once it has. */
    private boolean heldLongEnough(Map<String, Pending> jobPending, Detection d, Instant at) {
        Pending p = jobPending.get(d.workerId());
        if (p == null || p.sinceStep() != d.sinceStep()) {
            p = new Pending(d.sinceStep(), at);
            jobPending.put(d.workerId(), p);
        }
        if (Duration.between(p.firstSeen(), at).compareTo(hold) < 0) {
            return false;
        }
        jobPending.remove(d.workerId());
        return true;
    }

    /**
     * Marks the job's open episodes that a controller action has mitigated: the latest action the job reported
     * {@code knob.applied} for, for the episode's worker or for the whole job, at or after the episode was announced;
     * failing that, when the worker carries less than the job's median batch ({@code lightened}), the latest action
     * that set its batch, even before the episode: the controller measured the imbalance and shifted work away
     * before the detector confirmed it. Returns an update event for each episode newly marked.
     */
    List<EpisodeEvent> mitigations(String jobId, List<JobEvent> jobEvents, Set<String> lightened, Instant at) {
        Map<String, Open> jobOpen = open.get(jobId);
        if (jobOpen == null) {
            return List.of();
        }
        List<EpisodeEvent> events = new ArrayList<>();
        for (Map.Entry<String, Open> e : jobOpen.entrySet()) {
            StragglerEpisode now = e.getValue().now();
            Optional<String> since = Optional.empty();
            Optional<String> batch = Optional.empty();
            for (JobEvent j : jobEvents) {
                String id = j.attributes().get("action");
                if (id == null || !j.kind().equals("knob.applied")
                        || !j.workerId().map(now.workerId()::equals).orElse(true)) {
                    continue;
                }
                if (!j.timestamp().isBefore(now.startedAt())) {
                    since = Optional.of(id);
                }
                if (j.workerId().isPresent() && Knob.BATCH_SIZE.wireName().equals(j.attributes().get("knob"))) {
                    batch = Optional.of(id);
                }
            }
            Optional<String> action = since.isPresent() || !lightened.contains(now.workerId()) ? since : batch;
            if (action.isPresent() && !action.equals(now.mitigatedBy())) {
                StragglerEpisode marked = now.mitigated(action.get(), at);
                e.setValue(new Open(marked, marked, e.getValue().detectorSince(), e.getValue().unconfirmed()));
                events.add(new EpisodeEvent(EpisodeEvent.Kind.UPDATE, marked));
                changed = true;
            }
        }
        return events;
    }

    /**
     * Continues an episode that another detector announced and never ended (the job's partition moved here, or its
     * collector died): it is open under its own id, and ends when this detector, having processed new steps,
     * has not confirmed the worker for {@code hold} since {@code at}; once confirmed it goes on as if announced
     * here. A worker with an episode open here already keeps it.
     */
    void adopt(StragglerEpisode episode, Instant at) {
        if (episode.end().isPresent()) {
            throw new IllegalArgumentException("episode " + episode.id() + " has ended; only open ones continue");
        }
        open.computeIfAbsent(episode.jobId(), id -> new LinkedHashMap<>())
                .putIfAbsent(episode.workerId(), new Open(episode, episode, -1, Optional.of(at)));
        changed = true;
    }

    /**
     * Forgets a job that moved to another collector without ending its episodes: the next owner reads them back
     * ({@link #adopt}) and goes on with them. Returns how many were open.
     */
    int leave(String jobId) {
        pending.remove(jobId);
        Map<String, Open> jobOpen = open.remove(jobId);
        if (jobOpen == null) {
            return 0;
        }
        changed = true;
        return jobOpen.size();
    }

    /** Ends every open episode of a job that ended; returns the end events. */
    List<EpisodeEvent> jobGone(String jobId, Instant at) {
        pending.remove(jobId);
        Map<String, Open> jobOpen = open.remove(jobId);
        if (jobOpen == null) {
            return List.of();
        }
        List<EpisodeEvent> events = new ArrayList<>();
        for (Open o : jobOpen.values()) {
            events.add(end(o.now(), new End(o.now().lastStep(), at, EndReason.JOB_GONE)));
        }
        return events;
    }

    private EpisodeEvent end(StragglerEpisode episode, End how) {
        StragglerEpisode ended = episode.ended(how);
        recent.addFirst(ended);
        while (recent.size() > recentLimit) {
            recent.removeLast();
        }
        changed = true;
        return new EpisodeEvent(EpisodeEvent.Kind.END, ended);
    }

    private static StragglerEpisode episode(Detection d, JobContext context, long step, Instant at,
                                            Optional<StragglerEpisode> previous) {
        JobContext.WorkerFacts w = context.worker(d.workerId());
        Instant startedAt = previous.map(StragglerEpisode::startedAt).orElse(at);
        long sinceStep = previous.map(StragglerEpisode::sinceStep).orElse(d.sinceStep());
        return new StragglerEpisode(d.jobId(), d.workerId(), w.nodeId(), w.gpuIndex(), d.cause().label(),
                abbreviate(context.detail(d.workerId(), d.cause())), d.slowdown(), clamp(d.confidence()),
                clamp(d.score()), sinceStep, previous.isPresent() ? previous.get().since() : d.since(), startedAt,
                Math.max(step, sinceStep),
                at.isBefore(startedAt) ? startedAt : at, Optional.empty(),
                previous.flatMap(StragglerEpisode::mitigatedBy));
    }

    private boolean notable(StragglerEpisode announced, StragglerEpisode latest) {
        return !announced.cause().equals(latest.cause())
                || Math.abs(announced.slowdown() - latest.slowdown()) >= slowdownStep;
    }

    private static double clamp(double unit) {
        return Double.isNaN(unit) ? 0 : Math.max(0, Math.min(1, unit));
    }

    private static String abbreviate(String detail) {
        return detail.length() <= 200 ? detail : detail.substring(0, 199) + "…";
    }

    /** Job ids with open episodes. */
    Set<String> jobsWithOpenEpisodes() {
        return Set.copyOf(open.keySet());
    }

    /** Whether anything changed since the last {@link #board}. */
    boolean changed() {
        return changed;
    }

    /** The current board; resets {@link #changed()}. */
    StragglerBoard board(long generation, Instant at, String detector) {
        changed = false;
        List<StragglerEpisode> current = open.values().stream().flatMap(m -> m.values().stream())
                .map(Open::now)
                .sorted(Comparator.comparing(StragglerEpisode::jobId).thenComparing(StragglerEpisode::workerId))
                .toList();
        return new StragglerBoard(generation, at, detector, current, List.copyOf(recent));
    }
}
